/**
 * The two SYSTEM notices a kiwoom-compat gateway adds to Kiwoom's protocol: its own upstream
 * session dropped (the client's socket stays open, but nothing arrives), and it is back with
 * every subscription restored after `gap_ms`. A RealtimeSession behind a gateway reports them
 * as its own 'disconnected' and 'reconnected', so that what a consumer does after a gap (the
 * facade's reconciliation of orders and fills) happens after the gateway's gap too. Other
 * clients may ignore them: the socket is not closed.
 */
export const GATEWAY_NOTICE = {
  upstreamDown: { code: 'GW10001', message: '게이트웨이의 키움 연결이 끊어졌습니다. 다시 연결하는 동안 실시간 데이터가 오지 않습니다' },
  upstreamBack: { code: 'GW10002', message: '게이트웨이의 키움 연결이 복구되었습니다. 등록은 유지되었으며 끊긴 동안의 데이터는 조회로 확인하십시오' },
} as const;

/** The `code` of {@link DisconnectInfo} for a gap at the gateway (the private-use range of close codes: no socket closed). */
export const GATEWAY_GAP_CLOSE_CODE = 4000;
