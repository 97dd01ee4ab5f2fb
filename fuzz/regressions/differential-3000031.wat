(module
  (type (;0;) (func (param i64) (result i32 i64 i32)))
  (type (;1;) (func (result externref i64)))
  (global (;0;) (mut i64) i64.const 0)
  (global (;1;) (mut i64) i64.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (func (;0;) (type 1) (result externref i64)
    (local f64 f64 f64 f32 f64 f64)
    global.get 4
    if ;; label = @1
      unreachable
    end
    global.get 4
    global.set 4
    i64.const -9040701626839664698
    ref.null func
    i64.const 0
    loop (type 0) (param i64) (result i32 i64 i32) ;; label = @1
      global.get 4
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 4
      i32.const 1
      i32.sub
      global.set 4
      f32.convert_i64_u
      i64.trunc_sat_f32_s
      i64.extend8_s
      br 0 (;@1;)
      f32.const -nan:0x7fffef (;=NaN;)
      ref.null func
      return_call 0
      i64.extend32_s
      i64.popcnt
      i64.popcnt
      i64.popcnt
      f64.const 0x1.ffp-1043 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002117851268;)
      i32.const 84168902
      f64.convert_i32_s
      i32.trunc_sat_f64_s
      call 0
      i64.const 3182105405799867420
      f64.convert_i64_s
      i32.trunc_sat_f64_u
      block (result f32) ;; label = @2
        block ;; label = @3
          return_call 0
          return_call 0
          i64.const 5876353509003405588
          f64.reinterpret_i64
          i32.trunc_f64_s
          i32.eqz
          i32.popcnt
          br_table 3 3
          i32.wrap_i64
          f32.convert_i32_s
          i32.trunc_sat_f32_s
          br_if 0 (;@3;)
          local.get 3
          block ;; label = @4
            i32.const -1807810961
            call 0
            i64.popcnt
            ref.null extern
            return_call 0
            i64.extend8_s
            call 0
            f32.convert_i64_s
            call 0
            f64.convert_i64_s
            i32.trunc_sat_f64_u
            f32.reinterpret_i32
            f64.promote_f32
            f32.const 0x1.75ba4ap-50 (;=0.0000000000000012966284;)
            ref.null func
            i32.const -2147483648
            i32.extend16_s
            nop
            ref.null extern
            block ;; label = @5
            end
            block ;; label = @5
              block (result externref) ;; label = @6
                loop ;; label = @7
                  global.get 4
                  if ;; label = @8
                    unreachable
                  end
                  i32.const -121401740
                  global.set 4
                  i32.const 0
                  br 4 (;@3;)
                  i32.const -2029258405
                  i32.shl
                  i64.extend_i32_u
                  f64.reinterpret_i64
                  return_call 0
                  i64.clz
                  f32.const -0x1.e16fep+51 (;=-4234764700000000;)
                  f32.const 0x1.fffffep-120 (;=0.0000000000000000000000000000000000015046327;)
                  block ;; label = @8
                    i32.const 0
                    br 3 (;@5;)
                    i32.extend16_s
                    f32.convert_i32_u
                    i64.trunc_f32_s
                    f32.convert_i64_u
                    i64.trunc_sat_f32_u
                    i64.extend16_s
                    f32.convert_i64_u
                    i32.trunc_f32_s
                    return_call 0
                    i64.eqz
                    i32.eqz
                    i32.const 8192
                    f64.const 0x1.p-1066 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001265;)
                    f64.neg
                    loop ;; label = @9
                      i32.const 0
                      if ;; label = @10
                        unreachable
                      end
                      i32.const 0
                      i32.const 1
                      i32.sub
                      global.set 4
                      call 0
                      i64.ctz
                      call 0
                      i32.const 1
                      i32.eqz
                      ref.null extern
                      i32.const -151154897
                      i32.clz
                      br_if 2 (;@7;)
                      br 2 (;@7;)
                      i32.const 0
                      br_if 6 (;@3;)
                      nop
                      ref.null func
                      i64.const 1
                      ref.null extern
                      br 2 (;@7;)
                      loop (result f32) ;; label = @10
                        global.get 4
                        i32.eqz
                        if ;; label = @11
                          unreachable
                        end
                        global.get 4
                        global.set 4
                        loop ;; label = @11
                          global.get 4
                          if ;; label = @12
                            unreachable
                          end
                          global.get 4
                          global.set 4
                          f64.const -0x1.b77c8ffcc94d6p+887 (;=-1771380253099781800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                          f64.const nan (;=NaN;)
                          local.get 5
                          local.get 5
                          f64.eq
                          select
                          call 0
                          block ;; label = @12
                            global.get 0
                            global.set 0
                          end
                          global.get 0
                          i64.xor
                          global.set 0
                          drop
                          i64.reinterpret_f64
                          global.get 1
                          i64.xor
                          global.set 1
                        end
                        f32.const 0x1.9268e6p-80 (;=0.0000000000000000000000013002561;)
                      end
                      i32.reinterpret_f32
                      global.get 2
                      i32.xor
                      global.set 2
                      drop
                      global.get 0
                      i64.xor
                      global.set 0
                      drop
                      drop
                      global.get 3
                      i32.xor
                      global.set 3
                      global.get 0
                      i64.xor
                      global.set 0
                      drop
                      global.get 0
                      i64.xor
                      global.set 0
                      drop
                    end
                    i64.reinterpret_f64
                    global.get 1
                    i64.xor
                    global.set 1
                    global.get 3
                    i32.xor
                    global.set 3
                    global.get 3
                    i32.xor
                    global.set 3
                    drop
                    global.get 3
                    i32.xor
                    global.set 3
                  end
                  i32.reinterpret_f32
                  global.get 2
                  i32.xor
                  global.set 2
                  i32.reinterpret_f32
                  global.get 2
                  i32.xor
                  global.set 2
                  global.get 0
                  i64.xor
                  global.set 0
                  drop
                  i64.reinterpret_f64
                  i64.const 0
                  i64.xor
                  global.set 1
                end
                ref.null extern
              end
              drop
            end
            drop
            global.get 3
            i32.xor
            global.set 3
            drop
            i32.reinterpret_f32
            global.get 2
            i32.xor
            global.set 2
            i64.reinterpret_f64
            global.get 1
            i64.xor
            global.set 1
            drop
            i32.reinterpret_f32
            global.get 2
            i32.xor
            global.set 2
            drop
            global.get 0
            i64.xor
            global.set 0
            drop
            drop
            global.get 0
            i64.xor
            global.set 0
            drop
            global.get 3
            i32.xor
            global.set 3
          end
          i32.reinterpret_f32
          global.get 2
          i32.xor
          global.set 2
          drop
        end
        f32.const -0x1.68fa72p+40 (;=-1550390000000;)
      end
      drop
      global.get 3
      i32.xor
      global.set 3
      global.get 0
      i64.xor
      global.set 0
      drop
      global.get 3
      i32.xor
      global.set 3
      i64.reinterpret_f64
      global.get 1
      i64.xor
      global.set 1
      global.get 0
      i64.xor
      global.set 0
      drop
      drop
      i32.reinterpret_f32
      global.get 2
      i32.xor
      global.set 2
      i32.const 0
      i64.const -524289
      i32.const 1804746440
    end
    global.get 3
    i32.xor
    global.set 3
    global.get 0
    i64.xor
    global.set 0
    global.get 3
    i32.xor
    global.set 3
    drop
    global.get 0
    i64.xor
    global.set 0
    ref.null extern
    i64.const 0
  )
)
