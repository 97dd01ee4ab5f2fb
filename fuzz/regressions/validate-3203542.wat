(module
  (type (;0;) (func (result v128)))
  (memory (;0;) 0 8)
  (global (;0;) (mut i64) i64.const 0)
  (global (;1;) (mut v128) v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (func (;0;) (type 0) (result v128)
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  )
  (func (;1;) (type 0) (result v128)
    (local i64 i64 i64)
    call 5
    f32x4.extract_lane 1
    i32.trunc_f32_s
    f64.convert_i32_s
    f64.trunc
    block (type 0) (result v128) ;; label = @1
      i64.const 140737488355327
      f64.convert_i64_u
      block (type 0) (result v128) ;; label = @2
        v128.const i32x4 0xe1059296 0x70b78e10 0xca48c350 0xb7977321
        i32x4.trunc_sat_f32x4_s
        f64x2.floor
        i32x4.extend_high_i16x8_s
        f32x4.nearest
        i16x8.extend_low_i8x16_u
        i64x2.neg
        i32x4.trunc_sat_f64x2_u_zero
        i32x4.extadd_pairwise_i16x8_s
        f32.const 0x1p-95 (;=0.00000000000000000000000000002524355;)
        f32.floor
        f32.abs
        i64.const -2660125994591012039
        i64.extend32_s
        call 3
        f64x2.nearest
        i8x16.popcnt
        v128.not
        i8x16.bitmask
        f32.convert_i32_u
        f32.ceil
        f32.neg
        call 4
        i32.const 655868349
        v128.load16x4_u align=4
        f32x4.mul
        v128.const i32x4 0x170e2ce0 0x6523155e 0x5da62633 0x75243606
        i16x8.lt_s
        i32.const 0
        i64.load8_u
        i64.extend32_s
        f32.convert_i64_s
        i32.trunc_sat_f32_s
        br_table 0 (;@2;) 1 (;@1;) 2 2
        i32.trunc_sat_f32_s
        v128.load8x8_u align=4
        ref.null func
        i32.const 0
        loop (result f64) ;; label = @3
          loop (result i32) ;; label = @4
            block (result i64) ;; label = @5
              loop (type 0) (result v128) ;; label = @6
                i64.const 624904457164962274
                f64.reinterpret_i64
                f64.trunc
                i64.trunc_sat_f64_u
                call 3
                f64x2.sqrt
                i16x8.extend_high_i8x16_u
                i16x8.extract_lane_s 6
                i32.popcnt
                loop (result f64) ;; label = @7
                  v128.const i32x4 0x42226901 0x2f530b4e 0x00f89232 0xa0db4853
                  i16x8.extract_lane_s 2
                  loop ;; label = @8
                    local.get 2
                    ref.null func
                    data.drop 0
                    local.get 2
                    i64.extend16_s
                    f32.convert_i64_u
                    br 4 (;@4;)
                    f32.nearest
                    f32.nearest
                    f32.abs
                    i64.const -3875526910750968924
                    local.get 2
                    i64.ctz
                    f64.reinterpret_i64
                    call 4
                    i16x8.extend_low_i8x16_u
                    i8x16.all_true
                    call 0
                    i8x16.neg
                    f32x4.ceil
                    i64x2.extend_high_i32x4_u
                    i16x8.extadd_pairwise_i8x16_u
                    v128.const i32x4 0x30507610 0xe90e5512 0x30754abf 0x0a343af2
                    f32x4.gt
                    i16x8.extend_low_i8x16_u
                    br 4 (;@4;)
                    v128.store32_lane align=2 1
                    i64.trunc_sat_f64_u
                    i64.gt_s
                    br_table 0 (;@8;) 1 (;@7;) 2 (;@6;) 4 (;@4;) 5 (;@3;) 4 (;@4;)
                    br 1 (;@7;)
                    v128.const i32x4 0xe2e7f6c1 0xe613fbb6 0x76def76e 0x1cbec9b7
                    i32x4.neg
                    data.drop 1
                    f64x2.abs
                    loop ;; label = @9
                      data.drop 1
                      br 0 (;@9;)
                      call 1
                      f64x2.ceil
                      i64x2.neg
                      f32.const -0x1.5741ccp+123 (;=-14258339000000000000000000000000000000;)
                      f32.neg
                      i32.trunc_sat_f32_s
                      i32.ctz
                      v128.load64_zero
                      f32x4.pmin
                      f64x2.convert_low_i32x4_s
                      i16x8.extend_low_i8x16_u
                      i32x4.trunc_sat_f32x4_s
                      i32x4.trunc_sat_f64x2_u_zero
                      i8x16.extract_lane_u 2
                      local.get 0
                      ref.null func
                      loop (type 0) (result v128) ;; label = @10
                        i64.const 8415062300908066298
                        i32.wrap_i64
                        ref.null func
                        data.drop 1
                        ref.is_null
                        i32.xor
                        memory.grow
                        f64.convert_i32_u
                        f64.floor
                        i64.reinterpret_f64
                        f64.reinterpret_i64
                        f64.trunc
                        i64.trunc_f64_u
                        i64.const -2199023255552
                        local.tee 0
                        i64.shl
                        call 0
                        memory.size
                        v128.load8x8_s align=4
                        f32x4.max
                        memory.size
                        i64x2.shl
                        i16x8.extend_high_i8x16_u
                        i16x8.extend_high_i8x16_s
                        f32x4.convert_i32x4_u
                        f64x2.promote_low_f32x4
                        i32x4.extend_high_i16x8_s
                        f64x2.floor
                        i16x8.extract_lane_s 4
                        v128.load32_splat
                        memory.size
                        i16x8.splat
                        f32x4.sub
                        i16x8.bitmask
                        v128.load8_splat
                        i64x2.neg
                        f64x2.nearest
                        i16x8.all_true
                        v128.load64_splat
                        br 3 (;@7;)
                        i32x4.all_true
                        f64.const 0x1.5e39667d2a854p+521 (;=9391478151216255000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                        block ;; label = @11
                          ref.null extern
                          br 1 (;@10;)
                          i32.const 1024
                          v128.load32x2_s
                          f64x2.sqrt
                          br 8 (;@3;)
                          f32x4.nearest
                          i64x2.extend_high_i32x4_u
                          f64x2.convert_low_i32x4_u
                          f64x2.promote_low_f32x4
                          i8x16.extract_lane_u 13
                          i64.extend_i32_s
                          local.tee 0
                          block (type 0) (result v128) ;; label = @12
                            ref.null extern
                            ref.is_null
                            i32.load offset=338984 align=1
                            i32.eqz
                            i32.extend16_s
                            v128.load32_zero align=1
                            i8x16.neg
                            i64x2.abs
                            f64x2.convert_low_i32x4_u
                            i64x2.extend_low_i32x4_u
                            br 12
                            f32.const -0x1.c97d3p-109 (;=-0.0000000000000000000000000000000027534118;)
                            data.drop 0
                            i32.trunc_f32_u
                            v128.load8x8_u
                            i32x4.trunc_sat_f64x2_u_zero
                            ref.null func
                            v128.const i32x4 0x886bdbf4 0xd6eb989b 0xaa2d2e8d 0x78c310bb
                            i32x4.bitmask
                            call 2
                            block ;; label = @13
                              data.drop 0
                              data.drop 1
                              memory.size
                              memory.size
                              i32.store
                              ref.null func
                              i64.const 1125899906842624
                              i64x2.splat
                              i32x4.extend_high_i16x8_s
                              i64.const -5857191401344298071
                              data.drop 0
                              local.tee 1
                              i64.extend16_s
                              i64x2.replace_lane 1
                              i64x2.bitmask
                              br_table 0 (;@13;) 2 (;@11;) 3 (;@10;) 4 (;@9;) 5 (;@8;) 6 (;@7;) 7 (;@6;) 9 (;@4;) 10 (;@3;) 5 (;@8;)
                              v128.const i32x4 0x1c6cd0b6 0x3091eab4 0x03e5f91d 0xe96bd06d
                              loop (type 0) (result v128) ;; label = @14
                                br 1 (;@13;)
                                global.get 3
                                global.set 3
                                v128.const i32x4 0x00000000 0x10000000 0x00400000 0x00000000
                              end
                              global.get 1
                              v128.xor
                              global.set 1
                              global.get 1
                              v128.xor
                              global.set 1
                              drop
                            end
                            global.get 1
                            v128.xor
                            global.set 1
                            global.get 3
                            i32.xor
                            global.set 3
                            drop
                          end
                          global.get 1
                          v128.xor
                          global.set 1
                          global.get 2
                          i64.xor
                          global.set 2
                          drop
                        end
                        i64.reinterpret_f64
                        global.get 0
                        i64.xor
                        global.set 0
                        global.get 3
                        i32.xor
                        global.set 3
                        global.get 2
                        i64.xor
                        global.set 2
                        v128.const i32x4 0x00000000 0xf0000000 0xffffffff 0xfffff7ff
                      end
                      global.get 1
                      v128.xor
                      global.set 1
                      drop
                      global.get 2
                      i64.xor
                      global.set 2
                      global.get 3
                      i32.xor
                      global.set 3
                    end
                    global.get 1
                    v128.xor
                    global.set 1
                    i32.reinterpret_f32
                    global.get 4
                    i32.xor
                    global.set 4
                    drop
                    global.get 2
                    i64.xor
                    global.set 2
                  end
                  global.get 3
                  i32.xor
                  global.set 3
                  f64.const 0x1.p-1073 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001;)
                end
                i64.reinterpret_f64
                global.get 0
                i64.xor
                global.set 0
                global.get 3
                i32.xor
                global.set 3
                global.get 2
                i64.xor
                global.set 2
                v128.const i32x4 0x8c919282 0x3fd9aba6 0xd58ec276 0x49912fae
              end
              global.get 1
              v128.xor
              global.set 1
              i64.const -274877906944
            end
            global.get 2
            i64.xor
            global.set 2
            i32.const 466661452
          end
          global.get 3
          i32.xor
          global.set 3
          f64.const 0x1.ffffffffffffcp-1024 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000011125369292536;)
        end
        i64.reinterpret_f64
        global.get 0
        i64.xor
        global.set 0
        global.get 3
        i32.xor
        global.set 3
        drop
        global.get 1
        v128.xor
        global.set 1
        global.get 2
        i64.xor
        global.set 2
        i32.reinterpret_f32
        global.get 4
        i32.xor
        global.set 4
      end
      global.get 1
      v128.xor
      global.set 1
      i64.reinterpret_f64
      global.get 0
      i64.xor
      global.set 0
      v128.const i32x4 0xa9c8e1a0 0x5eeddbba 0x4083a2ad 0xe2ebcadf
    end
    global.get 1
    v128.xor
    global.set 1
    i64.reinterpret_f64
    global.get 0
    i64.xor
    global.set 0
    v128.const i32x4 0xffffffff 0xffff7fff 0xffffffff 0x00001fff
  )
  (func (;2;) (type 0) (result v128)
    unreachable
  )
  (func (;3;) (type 0) (result v128)
    unreachable
  )
  (func (;4;) (type 0) (result v128)
    unreachable
  )
  (func (;5;) (type 0) (result v128)
    unreachable
  )
  (data (;0;) "")
  (data (;1;) "")
)
