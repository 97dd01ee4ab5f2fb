(module
  (type (;0;) (func (result i64 i64 i32)))
  (type (;1;) (func (result i32)))
  (type (;2;) (func))
  (global (;0;) (mut i64) i64.const 0)
  (global (;1;) (mut i64) i64.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut v128) v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  (global (;5;) (mut i64) i64.const 0)
  (global (;6;) (mut i32) i32.const 0)
  (func (;0;) (type 0) (result i64 i64 i32)
    unreachable
  )
  (func (;1;) (type 2)
    (local f32 funcref)
    global.get 6
    if ;; label = @1
      unreachable
    end
    global.get 6
    global.set 6
    call 1
    i32.const 1
    i32x4.splat
    loop (type 1) (result i32) ;; label = @1
      global.get 6
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 6
      global.set 6
      call 1
      br 1
      block ;; label = @2
        i64.const 1
        f64.reinterpret_i64
        return_call 1
        global.get 0
        i64.ctz
        loop ;; label = @3
          global.get 6
          if ;; label = @4
            unreachable
          end
          global.get 6
          global.set 6
          i32.const 0
          br 0 (;@3;)
          i64.const 0
          ref.null func
          i32.const 1
          f64.convert_i32_s
          loop (result v128) ;; label = @4
            global.get 6
            if ;; label = @5
              unreachable
            end
            i32.const 1
            global.set 6
            local.get 0
            call 0
            local.get 0
            i64.trunc_sat_f32_u
            f32.convert_i64_s
            i32.trunc_sat_f32_s
            br_table 0 (;@4;) 1 (;@3;) 2 (;@2;) 3 (;@1;) 4 0 (;@4;)
            global.get 4
            global.set 4
            global.get 5
            global.set 5
            global.get 2
            global.set 2
            global.get 2
            i32.xor
            global.set 2
            global.get 1
            i64.xor
            global.set 1
            global.get 1
            i64.xor
            global.set 1
            i32.reinterpret_f32
            i32.const 0
            i32.xor
            global.set 3
            v128.const i32x4 0x599f67b5 0xd6239d00 0xbc85a77d 0xcb68add2
          end
          global.get 4
          v128.xor
          global.set 4
          i64.reinterpret_f64
          global.get 5
          i64.xor
          global.set 5
          drop
          global.get 1
          i64.xor
          global.set 1
          global.get 2
          i32.xor
          global.set 2
        end
        i64.const 1
        i64.xor
        global.set 1
        i64.reinterpret_f64
        global.get 5
        i64.xor
        global.set 5
      end
      i32.const 0
    end
    global.get 2
    i32.xor
    global.set 2
    global.get 4
    v128.xor
    global.set 4
  )
)
