(module
  (type (;0;) (func (result externref f32 f32)))
  (type (;1;) (func (result funcref)))
  (type (;2;) (func (result f64 i64 i64 i64)))
  (type (;3;) (func))
  (memory (;0;) 0)
  (memory (;1;) 0)
  (memory (;2;) 8 11)
  (global (;0;) (mut externref) ref.null extern)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (start 4)
  (func (;0;) (type 3))
  (func (;1;) (type 3))
  (func (;2;) (type 0) (result externref f32 f32)
    unreachable
  )
  (func (;3;) (type 2) (result f64 i64 i64 i64)
    unreachable
  )
  (func (;4;) (type 3)
    (local f64 i64 i64 f32 f64 f64 f64 f32 f32 f64 f64 f32 f32 f32 f32 f64)
    i32.const -65
    memory.size
    memory.atomic.notify 1 offset=3532968335
    i32.const 1843945338
    i32.div_u
    i64.load32_s 1 align=1
    f64.reinterpret_i64
    i32.trunc_f64_u
    global.get 0
    f64.const -nan:0x7ffffffffffff (;=NaN;)
    memory.size 1
    i64.const 3600630307005060815
    i64.atomic.store8 2 offset=401840
    i64.trunc_sat_f64_s
    i64.popcnt
    atomic.fence
    i64.eqz
    i64.load16_s 2 offset=34536
    f64.convert_i64_u
    data.drop 0
    ref.null extern
    i64.const -1335234983825228930
    block (type 0) (result externref f32 f32) ;; label = @1
      return_call 0
      atomic.fence
      data.drop 0
      f64.const 0x1.07d8f6323576bp-164 (;=0.00000000000000000000000000000000000000000000000004407514403954608;)
      block (type 0) (result externref f32 f32) ;; label = @2
        call 2
        br 2
        f32.min
        local.tee 3
        f32.const nan (;=NaN;)
        local.get 3
        local.get 3
        f32.eq
        select
        return_call 1
        return_call 4
        i32.trunc_sat_f32_u
        i64.extend_i32_s
        local.get 0
        f64.sqrt
        local.tee 4
        f64.const nan (;=NaN;)
        local.get 4
        local.get 4
        f64.eq
        select
        f64.nearest
        local.tee 5
        f64.const nan (;=NaN;)
        local.get 5
        local.get 5
        f64.eq
        select
        f64.sqrt
        local.tee 6
        f64.const nan (;=NaN;)
        local.get 6
        local.get 6
        f64.eq
        select
        local.get 2
        f32.convert_i64_u
        f32.nearest
        local.tee 7
        f32.const nan (;=NaN;)
        local.get 7
        local.get 7
        f32.eq
        select
        block (result i32) ;; label = @3
          return
          atomic.fence
          call 0
          br 3
          global.get 0
          ref.is_null
          br 3
          i32.eqz
          i64.atomic.load16_u 2 offset=436457
          i64.clz
          i64.extend8_s
          f32.convert_i64_u
          call 4
          call 0
          f32.trunc
          local.tee 8
          f32.const nan (;=NaN;)
          local.get 8
          local.get 8
          f32.eq
          select
          atomic.fence
          data.drop 0
          i32.trunc_f32_u
          i64.load8_u 2 offset=391723
          f32.convert_i64_u
          i64.trunc_f32_s
          br 3
          f32.const 0x1.b93d66p-126 (;=0.00000000000000000000000000000000000002026074;)
          br 3
          f64.const -nan:0xffeffffffffff (;=NaN;)
          local.set 0
          i32.reinterpret_f32
          block (type 1) (result funcref) ;; label = @4
            f64.const 0x1.p-1025 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002781342323134;)
            global.get 0
            memory.size
            i32.load 2 offset=54407 align=2
            data.drop 0
            f64.const 0x1.ffffffcp-1048 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000066312368;)
            nop
            i64.const 4739232064657024347
            i64.eqz
            i32.load16_s 1
            i32.const 1023
            i32.rem_u
            i32.load8_u 1
            i32.load 1 align=2
            i64.load 2 offset=418884
            i64.const 0
            local.get 2
            f32.convert_i64_u
            f32.abs
            i64.const 2623297057934320547
            call 2
            f32.const 0x1.b05346p-31 (;=0.0000000007863951;)
            f32.const 0x1.90f694p-124 (;=0.00000000000000000000000000000000000007364531;)
            i64.trunc_f32_s
            f32.convert_i64_s
            i64.trunc_sat_f32_u
            block ;; label = @5
              return_call 1
              call 1
              return_call 4
            end
            f32.convert_i64_s
            block (result i32) ;; label = @5
              loop ;; label = @6
                call 1
                f64.const 0x1.a2b2378253148p-516 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000007623971241225552;)
                f64.nearest
                local.tee 9
                f64.const nan (;=NaN;)
                local.get 9
                local.get 9
                f64.eq
                select
                return_call 1
                i32.trunc_sat_f64_u
                i64.load8_s 2 offset=137495
                call 3
                i64.shr_s
                i64.or
                i32.const 1023
                if (type 2) (result f64 i64 i64 i64) ;; label = @7
                  global.get 0
                  i32.const 2147483647
                  call 2
                  f32.ne
                  br 2 (;@5;)
                  call 0
                  loop ;; label = @8
                    call 2
                    call 4
                    f32.ne
                    f64.load 2 offset=223046
                    i32.const 1589201064
                    return_call 1
                    i64.atomic.load32_u 2 offset=237191
                    atomic.fence
                    local.set 2
                    i64.const -288230376151711745
                    i64.popcnt
                    i64.const -4097
                    i64.lt_u
                    i32.extend8_s
                    i64.load16_u 2 offset=63425 align=1
                    global.get 0
                    return_call 1
                    local.get 0
                    i32.trunc_sat_f64_u
                    local.get 0
                    ref.null func
                    f64.const -nan:0xf7fffffffffff (;=NaN;)
                    local.get 2
                    data.drop 0
                    f64.convert_i64_s
                    call 2
                    i32.reinterpret_f32
                    call 1
                    i32.eqz
                    if (result f64) ;; label = @9
                      f64.const 0x1.6129b271b52ffp+266 (;=163573870444496800000000000000000000000000000000000000000000000000000000000000000;)
                    else
                      block (result f32) ;; label = @10
                        block (result i64) ;; label = @11
                          block (type 3) ;; label = @12
                            i64.const 1
                            atomic.fence
                            block (type 1) (result funcref) ;; label = @13
                              data.drop 0
                              br 5 (;@8;)
                              loop (result f32) ;; label = @14
                                f64.const 0x1.d667dbd5d7501p-554 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003116126005103041;)
                                i64.trunc_sat_f64_s
                                i32.const -362986660
                                i32.clz
                                call 1
                                i64.atomic.load 1
                                call 3
                                i64.gt_u
                                f32.const 0x1.fe1d6ap-111 (;=0.0000000000000000000000000000000007675356;)
                                global.get 0
                                atomic.fence
                                loop (type 0) (result externref f32 f32) ;; label = @15
                                  f64.const 0x1.6002p-1055 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000356178;)
                                  f64.sqrt
                                  local.tee 10
                                  f64.const nan (;=NaN;)
                                  local.get 10
                                  local.get 10
                                  f64.eq
                                  select
                                  f64.const -0x1.0b604f9fe7734p+995 (;=-349726459598373250000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                                  i64.const 5421198350747265616
                                  br 3 (;@12;)
                                  f32.convert_i64_s
                                  f32.nearest
                                  local.tee 11
                                  f32.const nan (;=NaN;)
                                  local.get 11
                                  local.get 11
                                  f32.eq
                                  select
                                  i64.trunc_f32_u
                                  f32.convert_i64_s
                                  memory.size
                                  block (type 1) (result funcref) ;; label = @16
                                    return_call 0
                                    block (type 0) (result externref f32 f32) ;; label = @17
                                      i32.const -268435457
                                      i32.extend16_s
                                      return
                                      f32.convert_i32_u
                                      f32.abs
                                      br 2 (;@15;)
                                      i64.const 0
                                      return_call 0
                                      return_call 0
                                      br 6 (;@11;)
                                      call 0
                                      f32.nearest
                                      local.tee 12
                                      f32.const nan (;=NaN;)
                                      local.get 12
                                      local.get 12
                                      f32.eq
                                      select
                                      f32.nearest
                                      local.tee 13
                                      f32.const nan (;=NaN;)
                                      i32.const 0
                                      select
                                      f32.sqrt
                                      local.tee 14
                                      f32.const nan (;=NaN;)
                                      local.get 14
                                      local.get 14
                                      f32.eq
                                      select
                                      f32.const 0x1.p-129 (;=0.000000000000000000000000000000000000001469368;)
                                      global.get 0
                                      local.get 1
                                      f64.convert_i64_u
                                      f64.floor
                                      local.tee 15
                                      f64.const nan (;=NaN;)
                                      i32.const 0
                                      select
                                      local.tee 0
                                      block (type 0) (result externref f32 f32) ;; label = @18
                                        f32.const 0x1.0e8786p-23 (;=0.00000012597506;)
                                        nop
                                        f32.abs
                                        atomic.fence
                                        i32.trunc_sat_f32_u
                                        i64.load16_u 1
                                        f64.reinterpret_i64
                                        i64.trunc_sat_f64_u
                                        block (result externref) ;; label = @19
                                          br 4 (;@15;)
                                          data.drop 0
                                          i64.const -6330409569940557957
                                          local.set 2
                                          global.get 0
                                          loop (type 1) (result funcref) ;; label = @20
                                            br 6 (;@14;)
                                            f64.const -nan:0xfffff00000000 (;=NaN;)
                                            i64.const 6947220199346703835
                                            i64.popcnt
                                            loop (result f64) ;; label = @21
                                              f64.const 0x1.f75aa8f8665fbp-814 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000017997708349048219;)
                                              return_call 4
                                              f64.abs
                                              i64.trunc_sat_f64_u
                                              local.get 1
                                              ref.null extern
                                              memory.size 2
                                              i32.eqz
                                              f64.const 0x1.p-1052 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000020722615;)
                                              f64.abs
                                              i64.reinterpret_f64
                                              i64.store16 2 offset=265355
                                              block ;; label = @22
                                                i32.const 0
                                                loop (type 2) (result f64 i64 i64 i64) ;; label = @23
                                                  f32.const -0x1.de54e2p-91 (;=-0.00000000000000000000000000075467416;)
                                                  i64.const 2430363849764168988
                                                  i64.extend32_s
                                                  atomic.fence
                                                  i64.popcnt
                                                  block (type 3) ;; label = @24
                                                    atomic.fence
                                                    global.get 0
                                                    ref.is_null
                                                    i32.atomic.load8_u 1
                                                    f32.convert_i32_s
                                                    i32.reinterpret_f32
                                                    global.get 1
                                                    i32.xor
                                                    global.set 1
                                                  end
                                                  global.get 3
                                                  i64.xor
                                                  global.set 3
                                                  i32.reinterpret_f32
                                                  global.get 1
                                                  i32.xor
                                                  global.set 1
                                                  f64.const 0x1.6p-1055 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000035617;)
                                                  i64.const -7337369078603141915
                                                  i64.const -3298326811093435692
                                                  i64.const 5322157674813754822
                                                end
                                                global.get 3
                                                i64.xor
                                                global.set 3
                                                global.get 3
                                                i64.xor
                                                global.set 3
                                                global.get 3
                                                i64.xor
                                                global.set 3
                                                i64.reinterpret_f64
                                                global.get 2
                                                i64.xor
                                                global.set 2
                                                global.get 4
                                                i32.xor
                                                global.set 4
                                              end
                                              drop
                                              i64.const 0
                                              i64.xor
                                              global.set 3
                                              global.get 3
                                              i64.xor
                                              global.set 3
                                              f64.const 0x1.c04b05a213c91p+518 (;=1502656793451311200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                                            end
                                            i64.reinterpret_f64
                                            global.get 2
                                            i64.xor
                                            global.set 2
                                            global.get 3
                                            i64.xor
                                            global.set 3
                                            i64.reinterpret_f64
                                            global.get 2
                                            i64.xor
                                            global.set 2
                                            ref.null func
                                          end
                                          drop
                                        end
                                        drop
                                        global.get 3
                                        i64.xor
                                        global.set 3
                                        ref.null extern
                                        f32.const 0x1.fffffcp-127 (;=0.000000000000000000000000000000000000011754942;)
                                        f32.const 0x1.cb5f5ap-110 (;=0.0000000000000000000000000000000013823737;)
                                      end
                                      i32.reinterpret_f32
                                      global.get 1
                                      i32.xor
                                      global.set 1
                                      i32.reinterpret_f32
                                      global.get 1
                                      i32.xor
                                      global.set 1
                                      drop
                                      i64.reinterpret_f64
                                      global.get 2
                                      i64.xor
                                      global.set 2
                                      drop
                                      i32.reinterpret_f32
                                      global.get 1
                                      i32.xor
                                      global.set 1
                                      i32.reinterpret_f32
                                      global.get 1
                                      i32.xor
                                      global.set 1
                                      ref.null extern
                                      f32.const -0x1p-23 (;=-0.00000011920929;)
                                      f32.const 0x1.fffep-134 (;=0.000000000000000000000000000000000000000091834;)
                                    end
                                    i32.reinterpret_f32
                                    global.get 1
                                    i32.xor
                                    global.set 1
                                    i32.reinterpret_f32
                                    global.get 1
                                    i32.xor
                                    global.set 1
                                    drop
                                    ref.null func
                                  end
                                  drop
                                  global.get 4
                                  i32.xor
                                  global.set 4
                                  i32.reinterpret_f32
                                  global.get 1
                                  i32.xor
                                  global.set 1
                                  i64.reinterpret_f64
                                  global.get 2
                                  i64.xor
                                  global.set 2
                                  i64.reinterpret_f64
                                  global.get 2
                                  i64.xor
                                  global.set 2
                                  ref.null extern
                                  f32.const -0x1.50bbcep-44 (;=-0.00000000000007476988;)
                                  f32.const 0x1p-23 (;=0.00000011920929;)
                                end
                                i32.reinterpret_f32
                                global.get 1
                                i32.xor
                                global.set 1
                                i32.reinterpret_f32
                                global.get 1
                                i32.xor
                                global.set 1
                                drop
                                drop
                                i32.reinterpret_f32
                                global.get 1
                                i32.xor
                                global.set 1
                                global.get 4
                                i32.xor
                                global.set 4
                                global.get 3
                                i64.xor
                                global.set 3
                                i64.reinterpret_f64
                                global.get 2
                                i64.xor
                                global.set 2
                                global.get 3
                                i64.xor
                                global.set 3
                                global.get 3
                                i64.xor
                                global.set 3
                                f32.const 0x1.4c0c8cp-124 (;=0.00000000000000000000000000000000000006098777;)
                              end
                              i32.reinterpret_f32
                              global.get 1
                              i32.xor
                              global.set 1
                              ref.null func
                            end
                            drop
                            global.get 3
                            i64.xor
                            global.set 3
                          end
                          i64.const -4611686018427387905
                        end
                        global.get 3
                        i64.xor
                        global.set 3
                        f32.const -nan:0x7fffc0 (;=NaN;)
                      end
                      i32.reinterpret_f32
                      global.get 1
                      i32.xor
                      global.set 1
                      f64.const -0x1.1bcc6937a8c0cp+198 (;=-445357983596594900000000000000000000000000000000000000000000;)
                    end
                    drop
                    i32.reinterpret_f32
                    global.get 1
                    i32.xor
                    global.set 1
                    drop
                    i64.reinterpret_f64
                    global.get 2
                    i64.xor
                    global.set 2
                    i64.reinterpret_f64
                    global.get 2
                    i64.xor
                    global.set 2
                    drop
                    i64.reinterpret_f64
                    global.get 2
                    i64.xor
                    global.set 2
                    global.get 4
                    i32.xor
                    global.set 4
                    drop
                    global.get 3
                    i64.xor
                    global.set 3
                    i64.reinterpret_f64
                    global.get 2
                    i64.xor
                    global.set 2
                    drop
                  end
                  drop
                  global.get 4
                  i32.xor
                  global.set 4
                  drop
                  f64.const 0x1.b83ced11c37cap-461 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000028881487214181534;)
                  i64.const -8192
                  i64.const -513
                  i64.const -8193
                else
                  f64.const 0x1.fffffffffffffp-1008 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000007291122019556397;)
                  i64.const -5390047949417249804
                  i64.const 8400731190549799527
                  i64.const -4097
                end
                global.get 3
                i64.xor
                global.set 3
                global.get 3
                i64.xor
                global.set 3
                global.get 3
                i64.xor
                global.set 3
                i64.reinterpret_f64
                global.get 2
                i64.xor
                global.set 2
                i64.const 1
                i64.xor
                global.set 3
                i64.reinterpret_f64
                global.get 2
                i64.xor
                global.set 2
                drop
              end
              i32.const 0
            end
            global.get 4
            i32.xor
            global.set 4
            i32.reinterpret_f32
            global.get 1
            i32.xor
            global.set 1
            i32.reinterpret_f32
            global.get 1
            i32.xor
            global.set 1
            i32.reinterpret_f32
            global.get 1
            i32.xor
            global.set 1
            i32.reinterpret_f32
            global.get 1
            i32.xor
            global.set 1
            drop
            global.get 3
            i64.xor
            global.set 3
            i32.reinterpret_f32
            global.get 1
            i32.xor
            global.set 1
            global.get 3
            i64.xor
            global.set 3
            global.get 3
            i64.xor
            global.set 3
            i64.reinterpret_f64
            global.get 2
            i64.xor
            global.set 2
            global.get 4
            i32.xor
            global.set 4
            drop
            i64.reinterpret_f64
            global.get 2
            i64.xor
            global.set 2
            ref.null func
          end
          drop
          global.get 4
          i32.xor
          global.set 4
          global.get 3
          i64.xor
          global.set 3
          i32.const 65536
        end
        global.get 4
        i32.xor
        global.set 4
        i32.reinterpret_f32
        global.get 1
        i32.xor
        global.set 1
        i64.reinterpret_f64
        global.get 2
        i64.xor
        global.set 2
        global.get 3
        i64.xor
        global.set 3
        f32.const -0x1.7190a6p-21 (;=-0.0000006883685;)
        f32.const 0x1.ffff8p-132 (;=0.00000000000000000000000000000000000000036734;)
      end
      i32.reinterpret_f32
      global.get 1
      i32.xor
      global.set 1
      i32.reinterpret_f32
      global.get 1
      i32.xor
      global.set 1
      drop
      i64.reinterpret_f64
      global.get 2
      i64.xor
      global.set 2
      ref.null extern
      f32.const -nan:0x7fff00 (;=NaN;)
      f32.const -nan:0x600000 (;=NaN;)
    end
    i32.reinterpret_f32
    global.get 1
    i32.xor
    global.set 1
    i32.reinterpret_f32
    global.get 1
    i32.xor
    global.set 1
    drop
    global.get 3
    i64.xor
    global.set 3
    drop
    drop
    drop
    global.get 4
    i32.xor
    global.set 4
  )
  (data (;0;) "")
)
