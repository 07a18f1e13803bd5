;; Multi-head self-attention, forward and backward, for the tfjs wasm backend:
;; every head of every sequence in one kernel each way, reading q, k and v where
;; the in-projection wrote them and writing the heads merged, so none of the
;; transposes, splits, scalings, products, softmax and dropout that tfjs ops
;; need (about a dozen kernels forward, more backward) is left.
;;
;; Pointers and strides are in bytes. N = B*L positions; d = H*dh.
;;   qkv [N, 3d]: position n = b*L + i holds q, then k, then v, each d wide,
;;     head h at h*dh within each (PyTorch's packed in_proj).
;;   keep [H*B, L, L]: dropout's multipliers (0 or 1/(1-p)) for the weights of
;;     head h of sequence b at h*B + b, or 0 for no dropout.
;;   ctx, dctx [N, d]: head h at columns h*dh (heads merged, as PyTorch's).
;;   scratch: room for 2*dh*L + 3*L*L floats.
;;   L and dh must be multiples of 4.
;;
;; Rows go two at a time, and the products sixteen columns at a time with
;; eight accumulators, as in batch-matmul.wat.
;;
;;   forward(qkv, keep, ctx, scratch, B, L, H, dh, scale):
;;     P = softmax(scale * q k^T) row by row, ctx = (P * keep) v.
;;   backward(qkv, keep, dctx, dqkv, scratch, B, L, H, dh, scale):
;;     P again (the same float32 steps; cheaper than keeping 1 MB a layer),
;;     dP = (dctx v^T) * keep, dS = scale * (dP*P - rowsum(dP*P) * P), then
;;     dq = dS k, dk = dS^T q, dv = (P*keep)^T dctx, a sequence at a time.
;;
;; The softmax takes the same float32 steps as tfjs' own wasm Softmax (XNNPACK's:
;; e^x by its rr2-p5 polynomial, one four-lane sum, a multiply by 1/sum), and
;; its gradient the same as tfjs' (dy*y - sum(dy*y)*y, the sum in order), and
;; the products sum in the order batch-matmul.wat does. With dh a power of 4
;; (the model's 16, so 1/sqrt(dh) is a power of 2) the kernel gives the same
;; bits as the tfjs ops it replaces, so training runs as it did before.
(module
  (import "env" "memory" (memory 0))

  (func $max (param $v v128) (result f32)
    (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.max (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; dst[e*L + j] = src[j*stride + e*4] for j < L, e < dh: a head's k or v,
  ;; transposed four by four (four rows in, four columns out through shuffles).
  (func $transpose (param $src i32) (param $stride i32) (param $dst i32) (param $L i32) (param $dh i32)
    (local $j i32) (local $e i32) (local $row i32) (local $col i32) (local $rowL i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rowL (i32.shl (local.get $L) (i32.const 2)))
    (block $rows (loop $row4
      (br_if $rows (i32.ge_u (local.get $j) (local.get $L)))
      (local.set $e (i32.const 0))
      (block $cols (loop $col4
        (br_if $cols (i32.ge_u (local.get $e) (local.get $dh)))
        (local.set $row (i32.add (local.get $src) (i32.shl (local.get $e) (i32.const 2))))
        (local.set $r0 (v128.load (local.get $row)))
        (local.set $r1 (v128.load (i32.add (local.get $row) (local.get $stride))))
        (local.set $r2 (v128.load (i32.add (local.get $row) (i32.shl (local.get $stride) (i32.const 1)))))
        (local.set $r3 (v128.load (i32.add (local.get $row) (i32.mul (local.get $stride) (i32.const 3)))))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $col (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $e) (local.get $L)) (local.get $j)) (i32.const 2))))
        (v128.store (local.get $col) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $col) (local.get $rowL)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $col) (i32.shl (local.get $rowL) (i32.const 1))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (v128.store (i32.add (local.get $col) (i32.mul (local.get $rowL) (i32.const 3))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $e (i32.add (local.get $e) (i32.const 4)))
        (br $col4)))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $stride) (i32.const 2))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $row4))))

  ;; outR[j] = scale * sum_e aR[e] * bt[e*L + j] for j < L and rows R = 0, 1:
  ;; two rows [dh] times bt [dh, L], the sums in order of e.
  (func $times2 (param $a0 i32) (param $a1 i32) (param $bt i32) (param $out0 i32) (param $out1 i32) (param $L i32) (param $dh i32) (param $scale f32)
    (local $rowB i32) (local $j i32) (local $e i32) (local $at i32) (local $c v128) (local $zero v128)
    (local $s0 v128) (local $s1 v128) (local $w v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local.set $rowB (i32.shl (local.get $L) (i32.const 2)))
    (local.set $c (f32x4.splat (local.get $scale)))
    (block $wideDone (loop $wide
      (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $rowB)))
      (local.set $x0 (local.get $zero)) (local.set $x1 (local.get $zero)) (local.set $x2 (local.get $zero)) (local.set $x3 (local.get $zero)) (local.set $y0 (local.get $zero)) (local.set $y1 (local.get $zero)) (local.set $y2 (local.get $zero)) (local.set $y3 (local.get $zero))
      (local.set $at (i32.add (local.get $bt) (local.get $j)))
      (local.set $e (i32.const 0))
      (loop $dot
        (local.set $s0 (v128.load32_splat (i32.add (local.get $a0) (local.get $e))))
        (local.set $s1 (v128.load32_splat (i32.add (local.get $a1) (local.get $e))))
        (local.set $w (v128.load offset=0 (local.get $at)))
        (local.set $x0 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x0)))
        (local.set $y0 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y0)))
        (local.set $w (v128.load offset=16 (local.get $at)))
        (local.set $x1 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x1)))
        (local.set $y1 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y1)))
        (local.set $w (v128.load offset=32 (local.get $at)))
        (local.set $x2 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x2)))
        (local.set $y2 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y2)))
        (local.set $w (v128.load offset=48 (local.get $at)))
        (local.set $x3 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x3)))
        (local.set $y3 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y3)))
        (local.set $at (i32.add (local.get $at) (local.get $rowB)))
        (local.set $e (i32.add (local.get $e) (i32.const 4)))
        (br_if $dot (i32.lt_u (local.get $e) (i32.shl (local.get $dh) (i32.const 2)))))
      (local.set $at (i32.add (local.get $out0) (local.get $j)))
      (v128.store offset=0 (local.get $at) (f32x4.mul (local.get $x0) (local.get $c)))
      (v128.store offset=16 (local.get $at) (f32x4.mul (local.get $x1) (local.get $c)))
      (v128.store offset=32 (local.get $at) (f32x4.mul (local.get $x2) (local.get $c)))
      (v128.store offset=48 (local.get $at) (f32x4.mul (local.get $x3) (local.get $c)))
      (local.set $at (i32.add (local.get $out1) (local.get $j)))
      (v128.store offset=0 (local.get $at) (f32x4.mul (local.get $y0) (local.get $c)))
      (v128.store offset=16 (local.get $at) (f32x4.mul (local.get $y1) (local.get $c)))
      (v128.store offset=32 (local.get $at) (f32x4.mul (local.get $y2) (local.get $c)))
      (v128.store offset=48 (local.get $at) (f32x4.mul (local.get $y3) (local.get $c)))
      (local.set $j (i32.add (local.get $j) (i32.const 64)))
      (br $wide)))
    ;; The rest four columns at a time.
    (block $narrowDone (loop $narrow
      (br_if $narrowDone (i32.ge_u (local.get $j) (local.get $rowB)))
      (local.set $x0 (local.get $zero)) (local.set $y0 (local.get $zero))
      (local.set $at (i32.add (local.get $bt) (local.get $j)))
      (local.set $e (i32.const 0))
      (loop $dot
        (local.set $w (v128.load (local.get $at)))
        (local.set $x0 (f32x4.relaxed_madd (v128.load32_splat (i32.add (local.get $a0) (local.get $e))) (local.get $w) (local.get $x0)))
        (local.set $y0 (f32x4.relaxed_madd (v128.load32_splat (i32.add (local.get $a1) (local.get $e))) (local.get $w) (local.get $y0)))
        (local.set $at (i32.add (local.get $at) (local.get $rowB)))
        (local.set $e (i32.add (local.get $e) (i32.const 4)))
        (br_if $dot (i32.lt_u (local.get $e) (i32.shl (local.get $dh) (i32.const 2)))))
      (v128.store (i32.add (local.get $out0) (local.get $j)) (f32x4.mul (local.get $x0) (local.get $c)))
      (v128.store (i32.add (local.get $out1) (local.get $j)) (f32x4.mul (local.get $y0) (local.get $c)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $narrow))))

  ;; outR[e] = sum_j wR[j*wstride] * rows[j*stride + e*4] for e < dh and R = 0, 1:
  ;; two rows (wstride 4) or columns (wstride 4L) of weights [L] times a head's
  ;; L rows [dh], the sums in order of j.
  (func $mix2 (param $w0 i32) (param $w1 i32) (param $wstride i32) (param $rows i32) (param $stride i32) (param $out0 i32) (param $out1 i32) (param $L i32) (param $dh i32)
    (local $rowB i32) (local $e i32) (local $j i32) (local $end i32) (local $at i32) (local $zero v128)
    (local $s0 v128) (local $s1 v128) (local $w v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local.set $rowB (i32.shl (local.get $dh) (i32.const 2)))
    (local.set $end (i32.mul (local.get $L) (local.get $wstride)))
    (block $wideDone (loop $wide
      (br_if $wideDone (i32.gt_u (i32.add (local.get $e) (i32.const 64)) (local.get $rowB)))
      (local.set $x0 (local.get $zero)) (local.set $x1 (local.get $zero)) (local.set $x2 (local.get $zero)) (local.set $x3 (local.get $zero)) (local.set $y0 (local.get $zero)) (local.set $y1 (local.get $zero)) (local.set $y2 (local.get $zero)) (local.set $y3 (local.get $zero))
      (local.set $at (i32.add (local.get $rows) (local.get $e)))
      (local.set $j (i32.const 0))
      (loop $dot
        (local.set $s0 (v128.load32_splat (i32.add (local.get $w0) (local.get $j))))
        (local.set $s1 (v128.load32_splat (i32.add (local.get $w1) (local.get $j))))
        (local.set $w (v128.load offset=0 (local.get $at)))
        (local.set $x0 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x0)))
        (local.set $y0 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y0)))
        (local.set $w (v128.load offset=16 (local.get $at)))
        (local.set $x1 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x1)))
        (local.set $y1 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y1)))
        (local.set $w (v128.load offset=32 (local.get $at)))
        (local.set $x2 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x2)))
        (local.set $y2 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y2)))
        (local.set $w (v128.load offset=48 (local.get $at)))
        (local.set $x3 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x3)))
        (local.set $y3 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y3)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (local.set $j (i32.add (local.get $j) (local.get $wstride)))
        (br_if $dot (i32.lt_u (local.get $j) (local.get $end))))
      (local.set $at (i32.add (local.get $out0) (local.get $e)))
      (v128.store offset=0 (local.get $at) (local.get $x0))
      (v128.store offset=16 (local.get $at) (local.get $x1))
      (v128.store offset=32 (local.get $at) (local.get $x2))
      (v128.store offset=48 (local.get $at) (local.get $x3))
      (local.set $at (i32.add (local.get $out1) (local.get $e)))
      (v128.store offset=0 (local.get $at) (local.get $y0))
      (v128.store offset=16 (local.get $at) (local.get $y1))
      (v128.store offset=32 (local.get $at) (local.get $y2))
      (v128.store offset=48 (local.get $at) (local.get $y3))
      (local.set $e (i32.add (local.get $e) (i32.const 64)))
      (br $wide)))
    (block $narrowDone (loop $narrow
      (br_if $narrowDone (i32.ge_u (local.get $e) (local.get $rowB)))
      (local.set $x0 (local.get $zero)) (local.set $y0 (local.get $zero))
      (local.set $at (i32.add (local.get $rows) (local.get $e)))
      (local.set $j (i32.const 0))
      (loop $dot
        (local.set $w (v128.load (local.get $at)))
        (local.set $x0 (f32x4.relaxed_madd (v128.load32_splat (i32.add (local.get $w0) (local.get $j))) (local.get $w) (local.get $x0)))
        (local.set $y0 (f32x4.relaxed_madd (v128.load32_splat (i32.add (local.get $w1) (local.get $j))) (local.get $w) (local.get $y0)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (local.set $j (i32.add (local.get $j) (local.get $wstride)))
        (br_if $dot (i32.lt_u (local.get $j) (local.get $end))))
      (v128.store (i32.add (local.get $out0) (local.get $e)) (local.get $x0))
      (v128.store (i32.add (local.get $out1) (local.get $e)) (local.get $y0))
      (local.set $e (i32.add (local.get $e) (i32.const 16)))
      (br $narrow))))

  ;; Two rows of scores [L] to their softmax, p0 and p1 in place, as tfjs' wasm
  ;; Softmax (XNNPACK's) does it: the row's max; e^x for x = score - max <= 0
  ;; as 2^n e^t, n = round(x / ln2) by adding a magic number whose low bits are
  ;; also 2^n's exponent bias, t = x - n ln2 with ln2 in two parts, e^t by a
  ;; degree-5 polynomial, 0 below e^-87.3 (written out twice, the two rows
  ;; interleaved: a call per four values cost more than the arithmetic); one
  ;; four-lane sum, added up as (0 + 2) + (1 + 3); times 1/sum. With dropout
  ;; (keep0 not 0), also pdR = pR * keepR.
  (func $softmax2 (param $p0 i32) (param $p1 i32) (param $keep0 i32) (param $keep1 i32) (param $pd0 i32) (param $pd1 i32) (param $L i32)
    (local $j i32) (local $end i32) (local $m0 v128) (local $m1 v128) (local $s0 v128) (local $s1 v128)
    (local $x0 v128) (local $x1 v128) (local $e0 v128) (local $e1 v128)
    (local $n0 v128) (local $sc0 v128) (local $t0 v128) (local $pp0 v128)
    (local $n1 v128) (local $sc1 v128) (local $t1 v128) (local $pp1 v128)
    (local.set $end (i32.shl (local.get $L) (i32.const 2)))
    (local.set $m0 (v128.load (local.get $p0)))
    (local.set $m1 (v128.load (local.get $p1)))
    (local.set $j (i32.const 16))
    (block $maxed (loop $max
      (br_if $maxed (i32.ge_u (local.get $j) (local.get $end)))
      ;; pmax is one instruction where max is several (NaN and -0 rules); finite scores have the same max.
      (local.set $m0 (f32x4.pmax (local.get $m0) (v128.load (i32.add (local.get $p0) (local.get $j)))))
      (local.set $m1 (f32x4.pmax (local.get $m1) (v128.load (i32.add (local.get $p1) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $max)))
    (local.set $m0 (f32x4.splat (call $max (local.get $m0))))
    (local.set $m1 (f32x4.splat (call $max (local.get $m1))))
    (local.set $j (i32.const 0))
    (block $exped (loop $exp
      (br_if $exped (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $x0 (f32x4.sub (v128.load (i32.add (local.get $p0) (local.get $j))) (local.get $m0)))
      (local.set $x1 (f32x4.sub (v128.load (i32.add (local.get $p1) (local.get $j))) (local.get $m1)))
            (local.set $n0 (f32x4.add (f32x4.mul (local.get $x0) (v128.const f32x4 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0)) (v128.const f32x4 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23)))
            (local.set $sc0 (i32x4.shl (local.get $n0) (i32.const 23)))
            (local.set $n0 (f32x4.sub (local.get $n0) (v128.const f32x4 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23)))
            (local.set $t0 (f32x4.add (f32x4.mul (local.get $n0) (v128.const f32x4 -0x1.62E400p-1 -0x1.62E400p-1 -0x1.62E400p-1 -0x1.62E400p-1)) (local.get $x0)))
            (local.set $t0 (f32x4.add (f32x4.mul (local.get $n0) (v128.const f32x4 -0x1.7F7D1Cp-20 -0x1.7F7D1Cp-20 -0x1.7F7D1Cp-20 -0x1.7F7D1Cp-20)) (local.get $t0)))
            (local.set $pp0 (f32x4.add (f32x4.mul (v128.const f32x4 0x1.0F9F9Cp-7 0x1.0F9F9Cp-7 0x1.0F9F9Cp-7 0x1.0F9F9Cp-7) (local.get $t0)) (v128.const f32x4 0x1.573A1Ap-5 0x1.573A1Ap-5 0x1.573A1Ap-5 0x1.573A1Ap-5)))
            (local.set $pp0 (f32x4.add (f32x4.mul (local.get $pp0) (local.get $t0)) (v128.const f32x4 0x1.555A80p-3 0x1.555A80p-3 0x1.555A80p-3 0x1.555A80p-3)))
            (local.set $pp0 (f32x4.add (f32x4.mul (local.get $pp0) (local.get $t0)) (v128.const f32x4 0x1.FFFDC6p-2 0x1.FFFDC6p-2 0x1.FFFDC6p-2 0x1.FFFDC6p-2)))
            (local.set $pp0 (f32x4.add (f32x4.mul (local.get $pp0) (local.get $t0)) (v128.const f32x4 0x1.FFFFF6p-1 0x1.FFFFF6p-1 0x1.FFFFF6p-1 0x1.FFFFF6p-1)))
            (local.set $t0 (f32x4.mul (local.get $t0) (local.get $sc0)))
            (local.set $e0 (v128.andnot (f32x4.add (f32x4.mul (local.get $t0) (local.get $pp0)) (local.get $sc0))
              (f32x4.lt (local.get $x0) (v128.const f32x4 -0x1.5D589Ep6 -0x1.5D589Ep6 -0x1.5D589Ep6 -0x1.5D589Ep6))))
            (local.set $n1 (f32x4.add (f32x4.mul (local.get $x1) (v128.const f32x4 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0)) (v128.const f32x4 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23)))
            (local.set $sc1 (i32x4.shl (local.get $n1) (i32.const 23)))
            (local.set $n1 (f32x4.sub (local.get $n1) (v128.const f32x4 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23)))
            (local.set $t1 (f32x4.add (f32x4.mul (local.get $n1) (v128.const f32x4 -0x1.62E400p-1 -0x1.62E400p-1 -0x1.62E400p-1 -0x1.62E400p-1)) (local.get $x1)))
            (local.set $t1 (f32x4.add (f32x4.mul (local.get $n1) (v128.const f32x4 -0x1.7F7D1Cp-20 -0x1.7F7D1Cp-20 -0x1.7F7D1Cp-20 -0x1.7F7D1Cp-20)) (local.get $t1)))
            (local.set $pp1 (f32x4.add (f32x4.mul (v128.const f32x4 0x1.0F9F9Cp-7 0x1.0F9F9Cp-7 0x1.0F9F9Cp-7 0x1.0F9F9Cp-7) (local.get $t1)) (v128.const f32x4 0x1.573A1Ap-5 0x1.573A1Ap-5 0x1.573A1Ap-5 0x1.573A1Ap-5)))
            (local.set $pp1 (f32x4.add (f32x4.mul (local.get $pp1) (local.get $t1)) (v128.const f32x4 0x1.555A80p-3 0x1.555A80p-3 0x1.555A80p-3 0x1.555A80p-3)))
            (local.set $pp1 (f32x4.add (f32x4.mul (local.get $pp1) (local.get $t1)) (v128.const f32x4 0x1.FFFDC6p-2 0x1.FFFDC6p-2 0x1.FFFDC6p-2 0x1.FFFDC6p-2)))
            (local.set $pp1 (f32x4.add (f32x4.mul (local.get $pp1) (local.get $t1)) (v128.const f32x4 0x1.FFFFF6p-1 0x1.FFFFF6p-1 0x1.FFFFF6p-1 0x1.FFFFF6p-1)))
            (local.set $t1 (f32x4.mul (local.get $t1) (local.get $sc1)))
            (local.set $e1 (v128.andnot (f32x4.add (f32x4.mul (local.get $t1) (local.get $pp1)) (local.get $sc1))
              (f32x4.lt (local.get $x1) (v128.const f32x4 -0x1.5D589Ep6 -0x1.5D589Ep6 -0x1.5D589Ep6 -0x1.5D589Ep6))))
      (v128.store (i32.add (local.get $p0) (local.get $j)) (local.get $e0))
      (v128.store (i32.add (local.get $p1) (local.get $j)) (local.get $e1))
      (local.set $s0 (f32x4.add (local.get $s0) (local.get $e0)))
      (local.set $s1 (f32x4.add (local.get $s1) (local.get $e1)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $exp)))
    (local.set $s0 (f32x4.splat (f32.div (f32.const 1) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 2 (local.get $s0)))
      (f32.add (f32x4.extract_lane 1 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))))
    (local.set $s1 (f32x4.splat (f32.div (f32.const 1) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s1)) (f32x4.extract_lane 2 (local.get $s1)))
      (f32.add (f32x4.extract_lane 1 (local.get $s1)) (f32x4.extract_lane 3 (local.get $s1)))))))
    (local.set $j (i32.const 0))
    (block $scaled (loop $scale
      (br_if $scaled (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $e0 (f32x4.mul (v128.load (i32.add (local.get $p0) (local.get $j))) (local.get $s0)))
      (local.set $e1 (f32x4.mul (v128.load (i32.add (local.get $p1) (local.get $j))) (local.get $s1)))
      (v128.store (i32.add (local.get $p0) (local.get $j)) (local.get $e0))
      (v128.store (i32.add (local.get $p1) (local.get $j)) (local.get $e1))
      (if (local.get $keep0) (then
        (v128.store (i32.add (local.get $pd0) (local.get $j)) (f32x4.mul (local.get $e0) (v128.load (i32.add (local.get $keep0) (local.get $j)))))
        (v128.store (i32.add (local.get $pd1) (local.get $j)) (f32x4.mul (local.get $e1) (v128.load (i32.add (local.get $keep1) (local.get $j)))))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $scale))))

  ;; dst [L] = p * keep, or p where keep is 0 (no dropout).
  (func $dropout (param $p i32) (param $keep i32) (param $dst i32) (param $L i32)
    (local $j i32) (local $end i32)
    (local.set $end (i32.shl (local.get $L) (i32.const 2)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
      (v128.store (i32.add (local.get $dst) (local.get $j))
        (if (result v128) (local.get $keep)
          (then (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $j))) (v128.load (i32.add (local.get $keep) (local.get $j)))))
          (else (v128.load (i32.add (local.get $p) (local.get $j))))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $each))))

  ;; Through softmax, in place: with t = dp * p, dp = scale * (t - p * sum_j t_j), the sum in order.
  (func $softmaxGrad (param $dp i32) (param $p i32) (param $L i32) (param $scale f32)
    (local $j i32) (local $end i32) (local $t v128) (local $c v128) (local $sum f32)
    (local.set $end (i32.shl (local.get $L) (i32.const 2)))
    (block $timesed (loop $times
      (br_if $timesed (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $t (f32x4.mul (v128.load (i32.add (local.get $dp) (local.get $j))) (v128.load (i32.add (local.get $p) (local.get $j)))))
      (v128.store (i32.add (local.get $dp) (local.get $j)) (local.get $t))
      (local.set $sum (f32.add (f32.add (f32.add (f32.add (local.get $sum)
        (f32x4.extract_lane 0 (local.get $t))) (f32x4.extract_lane 1 (local.get $t)))
        (f32x4.extract_lane 2 (local.get $t))) (f32x4.extract_lane 3 (local.get $t))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $times)))
    (local.set $c (f32x4.splat (local.get $sum)))
    (local.set $j (i32.const 0))
    (block $scaled (loop $scale
      (br_if $scaled (i32.ge_u (local.get $j) (local.get $end)))
      (v128.store (i32.add (local.get $dp) (local.get $j))
        (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $dp) (local.get $j))) (f32x4.mul (local.get $c) (v128.load (i32.add (local.get $p) (local.get $j)))))
          (f32x4.splat (local.get $scale))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $scale))))

  (func (export "forward")
    (param $qkv i32) (param $keep i32) (param $ctx i32) (param $scratch i32)
    (param $B i32) (param $L i32) (param $H i32) (param $dh i32) (param $scale f32)
    (local $h i32) (local $b i32) (local $i i32) (local $d i32) (local $qkvRow i32) (local $ctxRow i32) (local $rowL i32)
    (local $seq i32) (local $q i32) (local $out i32) (local $keepRow i32)
    (local $kt i32) (local $p0 i32) (local $p1 i32) (local $pd0 i32) (local $pd1 i32)
    (local.set $d (i32.mul (local.get $H) (local.get $dh)))
    (local.set $qkvRow (i32.mul (local.get $d) (i32.const 12)))
    (local.set $ctxRow (i32.shl (local.get $d) (i32.const 2)))
    (local.set $rowL (i32.shl (local.get $L) (i32.const 2)))
    (local.set $kt (local.get $scratch))
    (local.set $p0 (i32.add (local.get $kt) (i32.mul (local.get $dh) (local.get $rowL))))
    (local.set $p1 (i32.add (local.get $p0) (local.get $rowL)))
    (local.set $pd0 (i32.add (local.get $p1) (local.get $rowL)))
    (local.set $pd1 (i32.add (local.get $pd0) (local.get $rowL)))
    (local.set $keepRow (local.get $keep))
    (block $headsDone (loop $heads
      (br_if $headsDone (i32.ge_u (local.get $h) (local.get $H)))
      (local.set $b (i32.const 0))
      (block $seqsDone (loop $seqs
        (br_if $seqsDone (i32.ge_u (local.get $b) (local.get $B)))
        ;; Row 0 of sequence b, at head h's q; its k is d floats on, its v 2d.
        (local.set $seq (i32.add (local.get $qkv)
          (i32.add (i32.mul (i32.mul (local.get $b) (local.get $L)) (local.get $qkvRow)) (i32.shl (i32.mul (local.get $h) (local.get $dh)) (i32.const 2)))))
        (call $transpose (i32.add (local.get $seq) (local.get $ctxRow)) (local.get $qkvRow) (local.get $kt) (local.get $L) (local.get $dh))
        (local.set $q (local.get $seq))
        (local.set $out (i32.add (local.get $ctx)
          (i32.add (i32.mul (i32.mul (local.get $b) (local.get $L)) (local.get $ctxRow)) (i32.shl (i32.mul (local.get $h) (local.get $dh)) (i32.const 2)))))
        (local.set $i (i32.const 0))
        (block $rowsDone (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $L)))
          (call $times2 (local.get $q) (i32.add (local.get $q) (local.get $qkvRow)) (local.get $kt) (local.get $p0) (local.get $p1)
            (local.get $L) (local.get $dh) (local.get $scale))
          (call $softmax2 (local.get $p0) (local.get $p1) (local.get $keepRow) (select (i32.add (local.get $keepRow) (local.get $rowL)) (i32.const 0) (local.get $keep))
            (local.get $pd0) (local.get $pd1) (local.get $L))
          ;; Without dropout the weights are p itself.
          (call $mix2 (select (local.get $pd0) (local.get $p0) (local.get $keep)) (select (local.get $pd1) (local.get $p1) (local.get $keep)) (i32.const 4) (i32.add (local.get $seq) (i32.shl (local.get $ctxRow) (i32.const 1))) (local.get $qkvRow)
            (local.get $out) (i32.add (local.get $out) (local.get $ctxRow)) (local.get $L) (local.get $dh))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $qkvRow) (i32.const 1))))
          (local.set $out (i32.add (local.get $out) (i32.shl (local.get $ctxRow) (i32.const 1))))
          (if (local.get $keep) (then (local.set $keepRow (i32.add (local.get $keepRow) (i32.shl (local.get $rowL) (i32.const 1))))))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (br $rows)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $seqs)))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br $heads))))

  (func (export "backward")
    (param $qkv i32) (param $keep i32) (param $dctx i32) (param $dqkv i32) (param $scratch i32)
    (param $B i32) (param $L i32) (param $H i32) (param $dh i32) (param $scale f32)
    (local $h i32) (local $b i32) (local $i i32) (local $d i32) (local $qkvRow i32) (local $ctxRow i32) (local $rowL i32)
    (local $seq i32) (local $dseq i32) (local $g i32) (local $keepSeq i32) (local $keep0 i32) (local $keep1 i32) (local $r0 i32) (local $r1 i32)
    (local $kt i32) (local $vt i32) (local $P i32) (local $PD i32) (local $DS i32)
    (local.set $d (i32.mul (local.get $H) (local.get $dh)))
    (local.set $qkvRow (i32.mul (local.get $d) (i32.const 12)))
    (local.set $ctxRow (i32.shl (local.get $d) (i32.const 2)))
    (local.set $rowL (i32.shl (local.get $L) (i32.const 2)))
    ;; Scratch: k^T and v^T [dh, L], then the sequence's weights P, P * keep and dS, each [L, L].
    (local.set $kt (local.get $scratch))
    (local.set $vt (i32.add (local.get $kt) (i32.mul (local.get $dh) (local.get $rowL))))
    (local.set $P (i32.add (local.get $vt) (i32.mul (local.get $dh) (local.get $rowL))))
    (local.set $PD (i32.add (local.get $P) (i32.mul (local.get $L) (local.get $rowL))))
    (local.set $DS (i32.add (local.get $PD) (i32.mul (local.get $L) (local.get $rowL))))
    (local.set $keepSeq (local.get $keep))
    (block $headsDone (loop $heads
      (br_if $headsDone (i32.ge_u (local.get $h) (local.get $H)))
      (local.set $b (i32.const 0))
      (block $seqsDone (loop $seqs
        (br_if $seqsDone (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $seq (i32.add (i32.mul (i32.mul (local.get $b) (local.get $L)) (local.get $qkvRow)) (i32.shl (i32.mul (local.get $h) (local.get $dh)) (i32.const 2))))
        (local.set $dseq (i32.add (local.get $dqkv) (local.get $seq)))
        (local.set $seq (i32.add (local.get $qkv) (local.get $seq)))
        (local.set $g (i32.add (local.get $dctx)
          (i32.add (i32.mul (i32.mul (local.get $b) (local.get $L)) (local.get $ctxRow)) (i32.shl (i32.mul (local.get $h) (local.get $dh)) (i32.const 2)))))
        (call $transpose (i32.add (local.get $seq) (local.get $ctxRow)) (local.get $qkvRow) (local.get $kt) (local.get $L) (local.get $dh))
        (call $transpose (i32.add (local.get $seq) (i32.shl (local.get $ctxRow) (i32.const 1))) (local.get $qkvRow) (local.get $vt) (local.get $L) (local.get $dh))
        ;; Row by row, two at a time: the weights as the forward pass made them,
        ;; then dS = scale * softmax'(dctx v^T * keep).
        (local.set $i (i32.const 0))
        (block $rowsDone (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $L)))
          (local.set $r0 (i32.mul (local.get $i) (local.get $rowL)))
          (local.set $r1 (i32.add (local.get $r0) (local.get $rowL)))
          (local.set $keep0 (select (i32.add (local.get $keepSeq) (local.get $r0)) (i32.const 0) (local.get $keep)))
          (local.set $keep1 (select (i32.add (local.get $keepSeq) (local.get $r1)) (i32.const 0) (local.get $keep)))
          (call $times2 (i32.add (local.get $seq) (i32.mul (local.get $i) (local.get $qkvRow))) (i32.add (local.get $seq) (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $qkvRow)))
            (local.get $kt) (i32.add (local.get $P) (local.get $r0)) (i32.add (local.get $P) (local.get $r1)) (local.get $L) (local.get $dh) (local.get $scale))
          (call $softmax2 (i32.add (local.get $P) (local.get $r0)) (i32.add (local.get $P) (local.get $r1)) (local.get $keep0) (local.get $keep1)
            (i32.add (local.get $PD) (local.get $r0)) (i32.add (local.get $PD) (local.get $r1)) (local.get $L))
          (call $times2 (i32.add (local.get $g) (i32.mul (local.get $i) (local.get $ctxRow))) (i32.add (local.get $g) (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $ctxRow)))
            (local.get $vt) (i32.add (local.get $DS) (local.get $r0)) (i32.add (local.get $DS) (local.get $r1)) (local.get $L) (local.get $dh) (f32.const 1))
          (call $dropout (i32.add (local.get $DS) (local.get $r0)) (local.get $keep0) (i32.add (local.get $DS) (local.get $r0)) (local.get $L))
          (call $dropout (i32.add (local.get $DS) (local.get $r1)) (local.get $keep1) (i32.add (local.get $DS) (local.get $r1)) (local.get $L))
          (call $softmaxGrad (i32.add (local.get $DS) (local.get $r0)) (i32.add (local.get $P) (local.get $r0)) (local.get $L) (local.get $scale))
          (call $softmaxGrad (i32.add (local.get $DS) (local.get $r1)) (i32.add (local.get $P) (local.get $r1)) (local.get $L) (local.get $scale))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (br $rows)))
        ;; dq = dS k (rows of dS); dk = dS^T q and dv = (P * keep)^T dctx (columns),
        ;; each sum in order of its index, two outputs at a time.
        (local.set $i (i32.const 0))
        (block $outsDone (loop $outs
          (br_if $outsDone (i32.ge_u (local.get $i) (local.get $L)))
          (local.set $r0 (i32.mul (local.get $i) (local.get $rowL)))
          (call $mix2 (i32.add (local.get $DS) (local.get $r0)) (i32.add (i32.add (local.get $DS) (local.get $r0)) (local.get $rowL)) (i32.const 4)
            (i32.add (local.get $seq) (local.get $ctxRow)) (local.get $qkvRow)
            (i32.add (local.get $dseq) (i32.mul (local.get $i) (local.get $qkvRow))) (i32.add (local.get $dseq) (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $qkvRow)))
            (local.get $L) (local.get $dh))
          (local.set $r0 (i32.shl (local.get $i) (i32.const 2)))
          (call $mix2 (i32.add (local.get $DS) (local.get $r0)) (i32.add (i32.add (local.get $DS) (local.get $r0)) (i32.const 4)) (local.get $rowL)
            (local.get $seq) (local.get $qkvRow)
            (i32.add (i32.add (local.get $dseq) (local.get $ctxRow)) (i32.mul (local.get $i) (local.get $qkvRow)))
            (i32.add (i32.add (local.get $dseq) (local.get $ctxRow)) (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $qkvRow)))
            (local.get $L) (local.get $dh))
          (call $mix2 (i32.add (select (local.get $PD) (local.get $P) (local.get $keep)) (local.get $r0)) (i32.add (i32.add (select (local.get $PD) (local.get $P) (local.get $keep)) (local.get $r0)) (i32.const 4)) (local.get $rowL)
            (local.get $g) (local.get $ctxRow)
            (i32.add (i32.add (local.get $dseq) (i32.shl (local.get $ctxRow) (i32.const 1))) (i32.mul (local.get $i) (local.get $qkvRow)))
            (i32.add (i32.add (local.get $dseq) (i32.shl (local.get $ctxRow) (i32.const 1))) (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $qkvRow)))
            (local.get $L) (local.get $dh))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (br $outs)))
        (if (local.get $keep) (then (local.set $keepSeq (i32.add (local.get $keepSeq) (i32.mul (local.get $L) (local.get $rowL))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $seqs)))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br $heads))))
)
