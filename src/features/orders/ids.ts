/** Dialog ids of the orders feature. */
export const OrderDialogIds = {
  status: 'kefu.orderStatus',
  statusWaterfall: 'kefu.orderStatus.waterfall',
  cancel: 'kefu.cancelOrder',
  cancelWaterfall: 'kefu.cancelOrder.waterfall',
  changeAddress: 'kefu.changeAddress',
  changeAddressWaterfall: 'kefu.changeAddress.waterfall',
} as const;
