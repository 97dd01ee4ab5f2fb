(module
  (type (;0;) (func))
  (type (;1;) (func (result funcref f32)))
  (memory (;0;) 0)
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i64) i64.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (elem (;0;) declare externref)
  (elem (;1;) declare funcref)
  (func (;0;) (type 0)
    (local f32 f32 f32 f64 f32 f32)
    global.get 4
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    return_call 0
    return_call 0
    data.drop 0
    call 0
    local.get 0
    i32.trunc_f32_s
    br 0
    i32.load16_u
    i32.const 0
    call 0
    i64.load16_s align=1
    i64.ctz
    block (type 1) (result funcref f32) ;; label = @1
      br 1
      i32.const -67108865
      local.get 0
      return_call 0
      f32.const -nan:0x7fefff (;=NaN;)
      f32.ceil
      local.tee 1
      f32.const nan (;=NaN;)
      local.get 1
      local.get 1
      f32.eq
      select
      i32.trunc_f32_s
      br_table 1 1
      return_call 0
      br 1
      i64.trunc_f32_s
      i64.store32 align=2
      local.get 0
      local.set 0
      br 1
      return_call 0
      loop ;; label = @2
        global.get 4
        i32.eqz
        if ;; label = @3
          unreachable
        end
        global.get 4
        i32.const 1
        i32.sub
        global.set 4
        ref.null extern
        f32.const 0x1.e8d168p+8 (;=488.818;)
        local.set 0
        ref.null func
        i32.const -784018014
        return
        loop (result f64) ;; label = @3
          global.get 4
          i32.eqz
          if ;; label = @4
            unreachable
          end
          global.get 4
          i32.const 1
          i32.sub
          global.set 4
          return_call 0
          local.get 0
          f32.nearest
          local.tee 2
          f32.const nan (;=NaN;)
          local.get 2
          local.get 2
          f32.eq
          select
          elem.drop 1
          nop
          i64.trunc_sat_f32_u
          elem.drop 1
          return_call 0
          memory.size
          memory.grow
          f32.load align=1
          f32.const -0x1p+125 (;=-42535296000000000000000000000000000000;)
          i32.reinterpret_f32
          return_call 0
          i32.eqz
          i32.load8_s
          f64.convert_i32_u
          return_call 0
          i32.trunc_sat_f64_s
          if (type 1) (result funcref f32) ;; label = @4
            block (result f32) ;; label = @5
              i32.const -4
              return_call 0
              block (result f64) ;; label = @6
                loop (type 0) ;; label = @7
                  global.get 4
                  i32.eqz
                  if ;; label = @8
                    unreachable
                  end
                  global.get 4
                  global.set 4
                  return_call 0
                  block (type 1) (result funcref f32) ;; label = @8
                    block (type 0) ;; label = @9
                      i64.const 2166207371297702969
                      f64.reinterpret_i64
                      f64.const 0x1.p-1056 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001295163;)
                      f64.gt
                      i32.const -2043353566
                      block (result i64) ;; label = @10
                        elem.drop 1
                        f64.const 0x1.fffffffffffffp-992 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000477830972673648;)
                        f32.const -nan:0x700000 (;=NaN;)
                        memory.size
                        if (type 1) (result funcref f32) ;; label = @11
                          data.drop 0
                          call 0
                          memory.size
                          return_call 0
                          i64.load8_u
                          i64.extend16_s
                          f32.const -0x1.fffffep+112 (;=-10384593000000000000000000000000000;)
                          i32.trunc_f32_u
                          i32.ctz
                          i32.clz
                          ref.null func
                          elem.drop 0
                          i64.const -7705115055099053691
                          i64.extend8_s
                          i64.popcnt
                          br 4 (;@7;)
                          i64.extend16_s
                          i64.popcnt
                          i64.clz
                          local.get 0
                          i32.trunc_f32_u
                          i64.load16_u offset=304790800 align=1
                          i64.le_u
                          ref.null func
                          loop (result i64) ;; label = @12
                            global.get 4
                            i32.eqz
                            if ;; label = @13
                              unreachable
                            end
                            global.get 4
                            i32.const 1
                            i32.sub
                            global.set 4
                            loop ;; label = @13
                              global.get 4
                              i32.eqz
                              if ;; label = @14
                                unreachable
                              end
                              global.get 4
                              i32.const 1
                              i32.sub
                              global.set 4
                              f32.const -0x1.54514cp+63 (;=-12261233000000000000;)
                              i64.const 8628494544840829603
                              local.get 0
                              ref.null func
                              memory.size
                              i32.clz
                              elem.drop 1
                              br 11 (;@2;)
                              i32.load16_s
                              f64.convert_i32_u
                              f64.floor
                              local.tee 3
                              f64.const nan (;=NaN;)
                              local.get 3
                              local.get 3
                              f64.eq
                              select
                              f64.abs
                              br 13
                              elem.drop 1
                              i32.const 1683900777
                              loop (result f32) ;; label = @14
                                global.get 4
                                i32.eqz
                                if ;; label = @15
                                  unreachable
                                end
                                global.get 4
                                global.set 4
                                block (result i32) ;; label = @15
                                  local.get 0
                                  i64.trunc_f32_s
                                  ref.null extern
                                  br 8 (;@7;)
                                  f32.const -nan:0x7ff000 (;=NaN;)
                                  i64.const 0
                                  i64.extend8_s
                                  local.get 0
                                  f32.floor
                                  local.tee 4
                                  f32.const nan (;=NaN;)
                                  local.get 4
                                  local.get 4
                                  f32.eq
                                  select
                                  block (type 0) ;; label = @16
                                    local.get 0
                                    i32.trunc_sat_f32_s
                                    i64.load8_s
                                    i64.clz
                                    data.drop 0
                                    data.drop 0
                                    i32.const 306192151
                                    global.get 0
                                    i32.xor
                                    global.set 0
                                    i32.const -2097153
                                    i32.load
                                    global.get 0
                                    i32.xor
                                    global.set 0
                                    global.get 0
                                    global.set 0
                                    global.get 1
                                    i64.xor
                                    global.set 1
                                  end
                                  i32.reinterpret_f32
                                  global.get 2
                                  i32.xor
                                  global.set 2
                                  global.get 1
                                  i64.xor
                                  global.set 1
                                  i32.reinterpret_f32
                                  global.get 2
                                  i32.xor
                                  global.set 2
                                  drop
                                  global.get 1
                                  i64.xor
                                  global.set 1
                                  i32.const -1786682380
                                end
                                global.get 0
                                i32.xor
                                global.set 0
                                f32.const -0x1p+65 (;=-36893490000000000000;)
                              end
                              i32.reinterpret_f32
                              global.get 2
                              i32.xor
                              global.set 2
                              global.get 0
                              i32.xor
                              global.set 0
                              i64.reinterpret_f64
                              global.get 3
                              i64.xor
                              global.set 3
                              drop
                              i32.reinterpret_f32
                              global.get 2
                              i32.xor
                              global.set 2
                              global.get 1
                              i64.xor
                              global.set 1
                              i32.reinterpret_f32
                              global.get 2
                              i32.xor
                              global.set 2
                            end
                            i64.const 4820555863133716553
                          end
                          global.get 1
                          i64.xor
                          global.set 1
                          drop
                          global.get 0
                          i32.xor
                          global.set 0
                          drop
                          global.get 0
                          i32.xor
                          global.set 0
                          global.get 1
                          i64.xor
                          global.set 1
                          ref.null func
                          f32.const 0x1.71414cp-118 (;=0.0000000000000000000000000000000000043405724;)
                        else
                          ref.null func
                          f32.const 0x1.ffcp-139 (;=0.000000000000000000000000000000000000000002868;)
                        end
                        i32.reinterpret_f32
                        global.get 2
                        i32.xor
                        global.set 2
                        drop
                        i32.reinterpret_f32
                        global.get 2
                        i32.xor
                        global.set 2
                        i64.reinterpret_f64
                        global.get 3
                        i64.xor
                        global.set 3
                        i64.const 6019667004369282556
                      end
                      global.get 1
                      i64.xor
                      global.set 1
                      global.get 0
                      i32.xor
                      global.set 0
                      global.get 0
                      i32.xor
                      global.set 0
                    end
                    ref.null func
                    f32.const 0x1.ed6104p-51 (;=0.0000000000000008558761;)
                  end
                  i32.reinterpret_f32
                  global.get 2
                  i32.xor
                  global.set 2
                  drop
                end
                f64.const -0x1.3fe2de46545d6p-675 (;=-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000797092039715317;)
              end
              i64.reinterpret_f64
              global.get 3
              i64.xor
              global.set 3
              global.get 0
              i32.xor
              global.set 0
              f32.const 0x1.020202p-125 (;=0.000000000000000000000000000000000000023694278;)
            end
            i32.reinterpret_f32
            global.get 2
            i32.xor
            global.set 2
            ref.null func
            f32.const 0x1.187102p-80 (;=0.0000000000000000000000009061552;)
          else
            ref.null func
            f32.const nan:0x2cb547 (;=NaN;)
          end
          i32.reinterpret_f32
          global.get 2
          i32.xor
          global.set 2
          drop
          i32.reinterpret_f32
          global.get 2
          i32.xor
          global.set 2
          global.get 1
          i64.xor
          global.set 1
          f64.const 0x1.ffffep-1055 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000518065;)
        end
        i64.reinterpret_f64
        global.get 3
        i64.xor
        global.set 3
        global.get 0
        i32.xor
        global.set 0
        drop
        drop
      end
      ref.null func
      f32.const 0x1.fp-145 (;=0.000000000000000000000000000000000000000000043;)
    end
    i32.reinterpret_f32
    global.get 2
    i32.xor
    global.set 2
    drop
    global.get 1
    i64.xor
    global.set 1
    global.get 0
    i32.xor
    global.set 0
  )
  (data (;0;) "")
)
