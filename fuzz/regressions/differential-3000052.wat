(module
  (type (;0;) (func (result funcref f64)))
  (global (;0;) (mut i64) i64.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (func (;0;) (type 0) (result funcref f64)
    (local f64)
    f64.const -0x1.153765af56b58p-148 (;=-0.000000000000000000000000000000000000000000003034866477138883;)
    return_call 0
    i32.trunc_f64_u
    v128.const i32x4 0x92e10f4e 0x242452c1 0x73b38689 0xc0aa4b3a
    f64x2.neg
    i64x2.extract_lane 0
    i64.popcnt
    global.get 0
    i64.xor
    global.set 0
    global.get 1
    i32.xor
    global.set 1
    drop
    i64.reinterpret_f64
    global.get 2
    i64.xor
    global.set 2
    ref.null func
    f64.const -0x1.207047116ec89p+763 (;=-54663833107780400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
  )
)
