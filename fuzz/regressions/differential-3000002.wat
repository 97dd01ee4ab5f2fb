(module
  (global (;0;) (mut i32) i32.const -139416061 i32.const -2053903823 i32.const -435229573 i32.const 1446638662 i32.const 447894349 i32.const -1090068850 i32.const 679388190 i32.const 1835393394 i32.sub i32.sub i32.add i32.sub i32.add i32.const -937256618 i32.mul i32.mul i32.mul i32.const -1729188914 i32.sub)
)
