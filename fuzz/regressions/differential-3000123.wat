(module
  (type (;0;) (func))
  (table (;0;) 0 45 externref)
  (memory (;0;) 1)
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (func (;0;) (type 0))
  (func (;1;) (type 0)
    (local i32 i32 f64 f64 f64)
    call 0
    f32.const -0x1.8bef5p-83 (;=-0.0000000000000000000000001599168;)
    loop (result externref) ;; label = @1
      return_call 0
      local.get 0
      br_table 0 (;@1;) 1 0 (;@1;)
      block ;; label = @2
      end
      local.get 1
      f32.reinterpret_i32
      local.get 2
      i64.trunc_sat_f64_u
      i64.const 1869520125401912731
      local.get 0
      return_call 1
      f32.reinterpret_i32
      return_call 0
      table.size 0
      local.get 0
      i32.le_s
      f64.load offset=16632 align=2
      f64.abs
      i64.trunc_f64_u
      table.size 0
      memory.size
      i32.eq
      f64.load offset=13850 align=1
      i32.trunc_f64_u
      f64.convert_i32_u
      block (type 0) ;; label = @2
        f32.const 0x1.fcp-143 (;=0.000000000000000000000000000000000000000000178;)
        return_call 2
        local.get 0
        br_if 2
        i64.trunc_sat_f32_u
        i64.clz
        br 1 (;@1;)
        f32.convert_i64_u
        i32.trunc_f32_s
        loop (type 0) ;; label = @3
          loop (type 0) ;; label = @4
            block (result externref) ;; label = @5
              loop (result i32) ;; label = @6
                br 0 (;@6;)
                i32.const 0
              end
              i64.extend_i32_s
              loop ;; label = @6
                i64.const 0
                local.get 1
                i32.eqz
                if (type 0) ;; label = @7
                  i64.const 0
                  br 6 (;@1;)
                  i64.extend32_s
                  f32.convert_i64_s
                  f32.neg
                  f64.const 0x1.9cff62f70ae6ep-254 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000005572995186843221;)
                  f64.const 0x1.8363fd94f40cdp-238 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000034258641054776735;)
                  br 0 (;@7;)
                  f64.max
                  local.tee 4
                  f64.const nan (;=NaN;)
                  local.get 4
                  local.get 4
                  f64.eq
                  select
                  i64.trunc_sat_f64_s
                  memory.size
                  f32.load offset=26917 align=2
                  return_call 2
                  table.size 0
                  f64.convert_i32_u
                  f64.neg
                  i32.trunc_sat_f64_u
                  f64.convert_i32_u
                  ref.null extern
                  i32.const 2139095040
                  table.get 0
                  br 5 (;@2;)
                  i64.const 1
                  f32.const 0x1.1c2b94p+108 (;=360228560000000000000000000000000;)
                  call 2
                  memory.size
                  loop (type 0) ;; label = @8
                    loop ;; label = @9
                      local.get 2
                      call 0
                      call 0
                      ref.null func
                      i32.const 0
                      i64.load8_s offset=52583
                      i64.const 0
                      i32.const 1412891626
                      table.get 0
                      data.drop 0
                      br 2 (;@7;)
                      loop ;; label = @10
                        f64.const -nan:0xfffe000000000 (;=NaN;)
                        loop ;; label = @11
                          i32.const -1381492245
                          br 5 (;@6;)
                          return
                          br_table 0 (;@11;) 1 (;@10;) 2 (;@9;) 3 (;@8;) 4 (;@7;) 5 (;@6;) 7 (;@4;) 8 (;@3;) 9 (;@2;) 10 (;@1;) 11 10 (;@1;)
                          local.get 1
                          i64.extend_i32_u
                          i32.const 1
                          br 5 (;@6;)
                          br_table 0 (;@11;) 1 (;@10;) 2 (;@9;) 3 (;@8;) 4 (;@7;) 5 (;@6;) 7 (;@4;) 8 (;@3;) 9 (;@2;) 10 (;@1;) 11 11
                          i64.eqz
                          if (result funcref) ;; label = @12
                            loop (type 0) ;; label = @13
                              i64.const 1
                              i64.const 1
                              f32.convert_i64_s
                              call 0
                              block (result externref) ;; label = @14
                                local.get 2
                                nop
                                ref.null extern
                                ref.null extern
                                br 13 (;@1;)
                                drop
                                drop
                                i64.reinterpret_f64
                                global.get 3
                                i64.xor
                                global.set 3
                                ref.null extern
                              end
                              drop
                              i32.reinterpret_f32
                              global.get 1
                              i32.xor
                              global.set 1
                              global.get 2
                              i64.xor
                              global.set 2
                            end
                            ref.null func
                          else
                            ref.null func
                          end
                          drop
                        end
                        i64.reinterpret_f64
                        global.get 3
                        i64.xor
                        global.set 3
                      end
                      drop
                      global.get 2
                      i64.xor
                      global.set 2
                      global.get 2
                      i64.xor
                      global.set 2
                      drop
                      i64.reinterpret_f64
                      global.get 3
                      i64.xor
                      global.set 3
                    end
                  end
                  global.get 0
                  i32.xor
                  global.set 0
                  i32.reinterpret_f32
                  global.get 1
                  i32.xor
                  global.set 1
                  global.get 2
                  i64.xor
                  global.set 2
                  drop
                  drop
                  i64.reinterpret_f64
                  global.get 3
                  i64.xor
                  global.set 3
                  i32.reinterpret_f32
                  global.get 1
                  i32.xor
                  global.set 1
                  global.get 2
                  i64.xor
                  global.set 2
                  i32.reinterpret_f32
                  global.get 1
                  i32.xor
                  global.set 1
                end
                global.get 2
                i64.xor
                global.set 2
              end
              global.get 2
              i64.xor
              global.set 2
              ref.null extern
            end
            drop
          end
        end
        i32.const 0
        i32.xor
        global.set 0
      end
      i64.reinterpret_f64
      global.get 3
      i64.xor
      global.set 3
      global.get 2
      i64.xor
      global.set 2
      i32.reinterpret_f32
      global.get 1
      i32.xor
      global.set 1
      global.get 2
      i64.xor
      global.set 2
      global.get 2
      i64.xor
      global.set 2
      i32.reinterpret_f32
      global.get 1
      i32.xor
      global.set 1
      ref.null extern
    end
    drop
    i32.reinterpret_f32
    global.get 1
    i32.xor
    global.set 1
  )
  (func (;2;) (type 0))
  (data (;0;) "")
)
