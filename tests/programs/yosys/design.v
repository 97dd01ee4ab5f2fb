// The design tests/programs/yosys runs `synth -noabc; stat` on: a 4-bit counter with enable,
// a 4-bit adder with carry out, and an 8x8-bit multiply-accumulate into a 20-bit register.
module counter4(input clk, input rst, input en, output reg [3:0] q);
  always @(posedge clk)
    if (rst) q <= 4'd0;
    else if (en) q <= q + 4'd1;
endmodule
module adder4(input [3:0] a, input [3:0] b, input cin, output [3:0] s, output cout);
  assign {cout, s} = a + b + cin;
endmodule
module mac8(input clk, input rst, input [7:0] x, input [7:0] y, output reg [19:0] acc);
  always @(posedge clk)
    if (rst) acc <= 20'd0;
    else acc <= acc + x * y;
endmodule
module top(input clk, input rst, input en, input [3:0] b, input [7:0] x, output [3:0] sum, output carry, output [19:0] acc);
  wire [3:0] count;
  counter4 c(.clk(clk), .rst(rst), .en(en), .q(count));
  adder4 a(.a(count), .b(b), .cin(1'b0), .s(sum), .cout(carry));
  mac8 m(.clk(clk), .rst(rst), .x(x), .y({count, b}), .acc(acc));
endmodule
