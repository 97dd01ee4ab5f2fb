use kiln_tests::aarch64_exec::{Aarch64Program, Call, interpret};

#[test]
fn smoke() {
    let wasm = wat::parse_str(r#"(module (memory (export "m") 1) (global $g (mut i32) (i32.const 5))
      (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add global.get $g i32.add)
      (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
      (func (export "load") (param i32) (result i32) local.get 0 i32.load))"#).unwrap();
    let p = Aarch64Program::build("smoke", &wasm).unwrap();
    let calls = vec![Call::new("add", &[1, 2]), Call::new("div", &[1, 0]), Call::new("load", &[70000]), Call::new("add", &[3, 4])];
    let a = p.run(&calls).unwrap();
    let e = interpret(&wasm, &calls).unwrap();
    assert_eq!(a, e);
    eprintln!("{a:?}");
}
