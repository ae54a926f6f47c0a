// What every part of the agent console shares: the page's boot data (language, texts, member, CSRF token) and the JSON API.
export const boot = JSON.parse(document.getElementById('kefu-console').textContent);
export const T = boot.texts;
export const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

export async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(method !== 'GET' ? { 'x-kefu-csrf': boot.csrfToken } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 401) {
    window.location.assign(`/staff/signin?lang=${boot.locale}&next=/agent`);
    throw new Error('signed out');
  }
  const json = res.status === 204 ? {} : await res.json();
  if (!res.ok) throw Object.assign(new Error(json.message || res.statusText), { status: res.status, code: json.error });
  return json;
}
