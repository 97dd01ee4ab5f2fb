(module
  (type (;0;) (func))
  (global (;0;) (mut i64) i64.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut v128) v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  (global (;5;) (mut i32) i32.const 0)
  (func (;0;) (type 0)
    (local f32 f64 f64 f64)
    global.get 5
    if ;; label = @1
      unreachable
    end
    global.get 5
    global.set 5
    f64.const -nan:0xffffffffffffd (;=NaN;)
    call 0
    i64.const 0
    f64.const 0x1.a2bb1ec4ffa6cp-967 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001311261402826494;)
    i32.const 0
    br_if 0
    i32.trunc_sat_f64_u
    br_table 0 0
    i32.const 1
    br_if 0
    i64.const 0
    i64.le_s
    i32.popcnt
    i32.eqz
    if ;; label = @1
      return_call 0
      block (result v128) ;; label = @2
        i32.const 0
        if (type 0) ;; label = @3
        end
        i32.const 0
        block (type 0) ;; label = @3
          block (result f64) ;; label = @4
            i64.const 0
            block (type 0) ;; label = @5
              return
              i64.const 0
              f32.const 0x1.473214p+74 (;=24142775000000000000000;)
              br 2 (;@3;)
              loop (result i32) ;; label = @6
                global.get 5
                i32.eqz
                if ;; label = @7
                  unreachable
                end
                i32.const 1
                global.set 5
                i32.const 0
              end
              global.get 1
              i32.xor
              global.set 1
              i32.reinterpret_f32
              i32.const 0
              i32.xor
              global.set 2
              global.get 3
              i64.xor
              global.set 3
            end
            global.get 3
            i64.xor
            global.set 3
            f64.const 0x1.540aeb7611861p+823 (;=74298469046276780000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
          end
          i64.reinterpret_f64
          i64.const 1
          i64.xor
          global.set 0
        end
        global.get 1
        i32.xor
        global.set 1
        v128.const i32x4 0xf220d0dc 0x7f6457b1 0x21a77151 0x3769eb94
      end
      global.get 4
      v128.xor
      global.set 4
    end
    i64.reinterpret_f64
    global.get 0
    i64.xor
    global.set 0
  )
)
