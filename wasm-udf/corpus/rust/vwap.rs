//! vwap: volume-weighted average price of trades (e.g. DEX swaps) as a window aggregate.
//! Rows with a null or non-positive amount, or a null price, are ignored.
#![no_std]

ipdm::descriptor!(
    DESCRIPTOR,
    r#"{"abi": 1, "functions": [{
        "name": "vwap", "kind": "aggregate",
        "input": [{"name": "price", "type": "float64"}, {"name": "amount", "type": "float64"}],
        "output": [{"name": "vwap", "type": "float64"},
                   {"name": "volume", "type": "float64", "nullable": false},
                   {"name": "trades", "type": "int64", "nullable": false},
                   {"name": "low", "type": "float64"},
                   {"name": "high", "type": "float64"}]}]}"#
);

#[derive(Clone, Copy)]
#[repr(C)]
struct State {
    price_volume: f64,
    volume: f64,
    trades: i64,
    low: f64,
    high: f64,
}

const EMPTY: State =
    State { price_volume: 0.0, volume: 0.0, trades: 0, low: f64::INFINITY, high: f64::NEG_INFINITY };

#[no_mangle]
pub extern "C" fn vwap_create() -> i32 {
    ipdm::state_new(EMPTY)
}

#[no_mangle]
pub extern "C" fn vwap_add(state: i32, batch: i32) -> i32 {
    let mut s = match ipdm::state_read::<State>(state) {
        Some(s) => s,
        None => return ipdm::ERR_STATE,
    };
    let b = ipdm::Batch::at(batch);
    let price = b.f64(0);
    let amount = b.f64(1);
    for r in 0..b.rows() {
        if let (Some(p), Some(a)) = (price.get(r), amount.get(r)) {
            if a > 0.0 {
                s.price_volume += p * a;
                s.volume += a;
                s.trades += 1;
                s.low = if p < s.low { p } else { s.low };
                s.high = if p > s.high { p } else { s.high };
            }
        }
    }
    ipdm::state_new(s)
}

#[no_mangle]
pub extern "C" fn vwap_merge(a: i32, b: i32) -> i32 {
    match (ipdm::state_read::<State>(a), ipdm::state_read::<State>(b)) {
        (Some(x), Some(y)) => ipdm::state_new(State {
            price_volume: x.price_volume + y.price_volume,
            volume: x.volume + y.volume,
            trades: x.trades + y.trades,
            low: if x.low < y.low { x.low } else { y.low },
            high: if x.high > y.high { x.high } else { y.high },
        }),
        _ => ipdm::ERR_STATE,
    }
}

#[no_mangle]
pub extern "C" fn vwap_result(state: i32) -> i32 {
    let s = match ipdm::state_read::<State>(state) {
        Some(s) => s,
        None => return ipdm::ERR_STATE,
    };
    let mut out = ipdm::OutBatch::new(5, 1);
    out.f64(0)[0] = if s.volume > 0.0 { s.price_volume / s.volume } else { 0.0 };
    out.f64(1)[0] = s.volume;
    out.i64(2)[0] = s.trades;
    out.f64(3)[0] = s.low;
    out.f64(4)[0] = s.high;
    if s.trades == 0 {
        out.set_null(0, 0);
        out.set_null(3, 0);
        out.set_null(4, 0);
    }
    out.finish(1)
}
