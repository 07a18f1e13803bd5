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
;;   scratch: room for 2*dh*L + 6*L floats.
;;   L and dh must be multiples of 4.
;;
;; Rows go two at a time, and the products sixteen columns at a time with
;; eight accumulators, as in batch-matmul.wat.
;;
;;   forward(qkv, keep, ctx, scratch, B, L, H, dh, scale):
;;     P = softmax(scale * q k^T) row by row, ctx = (P * keep) v.
;;   backward(qkv, keep, dctx, dqkv, scratch, B, L, H, dh, scale):
;;     P again (the same float32 steps; cheaper than keeping 256 KB a layer),
;;     then dv = (P*keep)^T dctx, dP = (dctx v^T) * keep,
;;     dS = scale * (dP*P - rowsum(dP*P) * P), dq = dS k, dk = dS^T q.
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

  ;; e^x for x <= 0, four lanes: 2^n e^t with n = round(x / ln2) and |t| <= ln2/2,
  ;; n rounded by adding a magic number whose low bits are also 2^n's exponent
  ;; bias, ln2 in two parts, e^t by a degree-5 polynomial, 0 below e^-87.3.
  (func $exp (param $x v128) (result v128)
    (local $n v128) (local $s v128) (local $t v128) (local $p v128)
    (local.set $n (f32x4.add (f32x4.mul (local.get $x) (v128.const f32x4 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0))
      (v128.const f32x4 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23)))
    (local.set $s (i32x4.shl (local.get $n) (i32.const 23)))
    (local.set $n (f32x4.sub (local.get $n) (v128.const f32x4 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23 0x1.8000FEp23)))
    (local.set $t (f32x4.add (f32x4.mul (local.get $n) (v128.const f32x4 -0x1.62E400p-1 -0x1.62E400p-1 -0x1.62E400p-1 -0x1.62E400p-1)) (local.get $x)))
    (local.set $t (f32x4.add (f32x4.mul (local.get $n) (v128.const f32x4 -0x1.7F7D1Cp-20 -0x1.7F7D1Cp-20 -0x1.7F7D1Cp-20 -0x1.7F7D1Cp-20)) (local.get $t)))
    (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 0x1.0F9F9Cp-7 0x1.0F9F9Cp-7 0x1.0F9F9Cp-7 0x1.0F9F9Cp-7) (local.get $t))
      (v128.const f32x4 0x1.573A1Ap-5 0x1.573A1Ap-5 0x1.573A1Ap-5 0x1.573A1Ap-5)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 0x1.555A80p-3 0x1.555A80p-3 0x1.555A80p-3 0x1.555A80p-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 0x1.FFFDC6p-2 0x1.FFFDC6p-2 0x1.FFFDC6p-2 0x1.FFFDC6p-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 0x1.FFFFF6p-1 0x1.FFFFF6p-1 0x1.FFFFF6p-1 0x1.FFFFF6p-1)))
    (local.set $t (f32x4.mul (local.get $t) (local.get $s)))
    (v128.andnot (f32x4.add (f32x4.mul (local.get $t) (local.get $p)) (local.get $s))
      (f32x4.lt (local.get $x) (v128.const f32x4 -0x1.5D589Ep6 -0x1.5D589Ep6 -0x1.5D589Ep6 -0x1.5D589Ep6))))

  ;; dst[e*L + j] = src[j*stride + e*4] for j < L, e < dh: a head's k or v, transposed.
  (func $transpose (param $src i32) (param $stride i32) (param $dst i32) (param $L i32) (param $dh i32)
    (local $j i32) (local $e i32)
    (block $rows (loop $row
      (br_if $rows (i32.ge_u (local.get $j) (local.get $L)))
      (local.set $e (i32.const 0))
      (block $cols (loop $col
        (br_if $cols (i32.ge_u (local.get $e) (local.get $dh)))
        (f32.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $e) (local.get $L)) (local.get $j)) (i32.const 2)))
          (f32.load (i32.add (local.get $src) (i32.shl (local.get $e) (i32.const 2)))))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $col)))
      (local.set $src (i32.add (local.get $src) (local.get $stride)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $row))))

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

  ;; outR[e] = sum_j wR[j] * rows[j*stride + e*4] for e < dh and rows R = 0, 1:
  ;; two rows of weights [L] times a head's L rows [dh], the sums in order of j.
  (func $mix2 (param $w0 i32) (param $w1 i32) (param $rows i32) (param $stride i32) (param $out0 i32) (param $out1 i32) (param $L i32) (param $dh i32)
    (local $rowB i32) (local $e i32) (local $j i32) (local $at i32) (local $zero v128)
    (local $s0 v128) (local $s1 v128) (local $w v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local.set $rowB (i32.shl (local.get $dh) (i32.const 2)))
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
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $dot (i32.lt_u (local.get $j) (i32.shl (local.get $L) (i32.const 2)))))
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
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $dot (i32.lt_u (local.get $j) (i32.shl (local.get $L) (i32.const 2)))))
      (v128.store (i32.add (local.get $out0) (local.get $e)) (local.get $x0))
      (v128.store (i32.add (local.get $out1) (local.get $e)) (local.get $y0))
      (local.set $e (i32.add (local.get $e) (i32.const 16)))
      (br $narrow))))

  ;; rows[j*stride ..] [dh] += w0[j] * x0 [dh], then += w1[j] * x1: two rows'
  ;; shares of a gradient summed over rows, in order of the rows.
  (func $spread2 (param $w0 i32) (param $w1 i32) (param $x0 i32) (param $x1 i32) (param $rows i32) (param $stride i32) (param $L i32) (param $dh i32)
    (local $rowB i32) (local $e i32) (local $j i32) (local $s0 v128) (local $s1 v128) (local $at i32)
    (local.set $rowB (i32.shl (local.get $dh) (i32.const 2)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $j) (i32.shl (local.get $L) (i32.const 2))))
      (local.set $s0 (v128.load32_splat (i32.add (local.get $w0) (local.get $j))))
      (local.set $s1 (v128.load32_splat (i32.add (local.get $w1) (local.get $j))))
      (local.set $e (i32.const 0))
      (block $rowDone (loop $col
        (br_if $rowDone (i32.ge_u (local.get $e) (local.get $rowB)))
        (local.set $at (i32.add (local.get $rows) (local.get $e)))
        (v128.store (local.get $at)
          (f32x4.relaxed_madd (local.get $s1) (v128.load (i32.add (local.get $x1) (local.get $e)))
            (f32x4.relaxed_madd (local.get $s0) (v128.load (i32.add (local.get $x0) (local.get $e))) (v128.load (local.get $at)))))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (br $col)))
      (local.set $rows (i32.add (local.get $rows) (local.get $stride)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $each))))

  ;; p [L] = softmax of a row of scores [L], in place.
  (func $softmax (param $p i32) (param $L i32)
    (local $j i32) (local $end i32) (local $m v128) (local $s v128) (local $e v128)
    (local.set $end (i32.shl (local.get $L) (i32.const 2)))
    (local.set $m (v128.load (local.get $p)))
    (local.set $j (i32.const 16))
    (block $maxed (loop $max
      (br_if $maxed (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $m (f32x4.max (local.get $m) (v128.load (i32.add (local.get $p) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $max)))
    (local.set $m (f32x4.splat (call $max (local.get $m))))
    (local.set $j (i32.const 0))
    (block $exped (loop $exp
      (br_if $exped (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $e (call $exp (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $j))) (local.get $m))))
      (v128.store (i32.add (local.get $p) (local.get $j)) (local.get $e))
      (local.set $s (f32x4.add (local.get $s) (local.get $e)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $exp)))
    ;; Times 1/sum, the lanes summed as (0 + 2) + (1 + 3).
    (local.set $s (f32x4.splat (f32.div (f32.const 1) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 2 (local.get $s)))
      (f32.add (f32x4.extract_lane 1 (local.get $s)) (f32x4.extract_lane 3 (local.get $s)))))))
    (local.set $j (i32.const 0))
    (block $scaled (loop $scale
      (br_if $scaled (i32.ge_u (local.get $j) (local.get $end)))
      (v128.store (i32.add (local.get $p) (local.get $j)) (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $j))) (local.get $s)))
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
          (call $softmax (local.get $p0) (local.get $L))
          (call $softmax (local.get $p1) (local.get $L))
          (call $dropout (local.get $p0) (local.get $keepRow) (local.get $pd0) (local.get $L))
          (call $dropout (local.get $p1) (select (i32.add (local.get $keepRow) (local.get $rowL)) (i32.const 0) (local.get $keep)) (local.get $pd1) (local.get $L))
          (call $mix2 (local.get $pd0) (local.get $pd1) (i32.add (local.get $seq) (i32.shl (local.get $ctxRow) (i32.const 1))) (local.get $qkvRow)
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
    (local $h i32) (local $b i32) (local $i i32) (local $j i32) (local $d i32) (local $qkvRow i32) (local $ctxRow i32) (local $rowL i32)
    (local $seq i32) (local $dseq i32) (local $q i32) (local $dq i32) (local $g i32) (local $keepRow i32) (local $keep1 i32) (local $at i32)
    (local $kt i32) (local $vt i32) (local $p0 i32) (local $p1 i32) (local $pd0 i32) (local $pd1 i32) (local $ds0 i32) (local $ds1 i32)
    (local.set $d (i32.mul (local.get $H) (local.get $dh)))
    (local.set $qkvRow (i32.mul (local.get $d) (i32.const 12)))
    (local.set $ctxRow (i32.shl (local.get $d) (i32.const 2)))
    (local.set $rowL (i32.shl (local.get $L) (i32.const 2)))
    (local.set $kt (local.get $scratch))
    (local.set $vt (i32.add (local.get $kt) (i32.mul (local.get $dh) (local.get $rowL))))
    (local.set $p0 (i32.add (local.get $vt) (i32.mul (local.get $dh) (local.get $rowL))))
    (local.set $p1 (i32.add (local.get $p0) (local.get $rowL)))
    (local.set $pd0 (i32.add (local.get $p1) (local.get $rowL)))
    (local.set $pd1 (i32.add (local.get $pd0) (local.get $rowL)))
    (local.set $ds0 (i32.add (local.get $pd1) (local.get $rowL)))
    (local.set $ds1 (i32.add (local.get $ds0) (local.get $rowL)))
    (local.set $keepRow (local.get $keep))
    (block $headsDone (loop $heads
      (br_if $headsDone (i32.ge_u (local.get $h) (local.get $H)))
      (local.set $b (i32.const 0))
      (block $seqsDone (loop $seqs
        (br_if $seqsDone (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $seq (i32.add (i32.mul (i32.mul (local.get $b) (local.get $L)) (local.get $qkvRow)) (i32.shl (i32.mul (local.get $h) (local.get $dh)) (i32.const 2))))
        (local.set $dseq (i32.add (local.get $dqkv) (local.get $seq)))
        (local.set $seq (i32.add (local.get $qkv) (local.get $seq)))
        (call $transpose (i32.add (local.get $seq) (local.get $ctxRow)) (local.get $qkvRow) (local.get $kt) (local.get $L) (local.get $dh))
        (call $transpose (i32.add (local.get $seq) (i32.shl (local.get $ctxRow) (i32.const 1))) (local.get $qkvRow) (local.get $vt) (local.get $L) (local.get $dh))
        ;; dk and dv gather over the rows: start them at zero.
        (local.set $j (i32.const 0))
        (block $zeroed (loop $zero
          (br_if $zeroed (i32.ge_u (local.get $j) (local.get $L)))
          (local.set $i (i32.const 0))
          (block $rowZeroed (loop $zeroRow
            (br_if $rowZeroed (i32.ge_u (local.get $i) (i32.shl (local.get $dh) (i32.const 2))))
            (local.set $at (i32.add (i32.add (local.get $dseq) (i32.mul (local.get $j) (local.get $qkvRow))) (local.get $i)))
            (v128.store (i32.add (local.get $at) (local.get $ctxRow)) (v128.const f32x4 0 0 0 0))
            (v128.store (i32.add (local.get $at) (i32.shl (local.get $ctxRow) (i32.const 1))) (v128.const f32x4 0 0 0 0))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $zeroRow)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $zero)))
        (local.set $q (local.get $seq))
        (local.set $dq (local.get $dseq))
        (local.set $g (i32.add (local.get $dctx)
          (i32.add (i32.mul (i32.mul (local.get $b) (local.get $L)) (local.get $ctxRow)) (i32.shl (i32.mul (local.get $h) (local.get $dh)) (i32.const 2)))))
        (local.set $i (i32.const 0))
        (block $rowsDone (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $L)))
          (local.set $keep1 (select (i32.add (local.get $keepRow) (local.get $rowL)) (i32.const 0) (local.get $keep)))
          ;; The weights of rows i and i+1 as the forward pass made them.
          (call $times2 (local.get $q) (i32.add (local.get $q) (local.get $qkvRow)) (local.get $kt) (local.get $p0) (local.get $p1)
            (local.get $L) (local.get $dh) (local.get $scale))
          (call $softmax (local.get $p0) (local.get $L))
          (call $softmax (local.get $p1) (local.get $L))
          (call $dropout (local.get $p0) (local.get $keepRow) (local.get $pd0) (local.get $L))
          (call $dropout (local.get $p1) (local.get $keep1) (local.get $pd1) (local.get $L))
          ;; dv_j += pd_ij * dctx_i, row i then row i+1.
          (call $spread2 (local.get $pd0) (local.get $pd1) (local.get $g) (i32.add (local.get $g) (local.get $ctxRow))
            (i32.add (local.get $dseq) (i32.shl (local.get $ctxRow) (i32.const 1))) (local.get $qkvRow) (local.get $L) (local.get $dh))
          ;; d(pd) = dctx v^T, through dropout and softmax.
          (call $times2 (local.get $g) (i32.add (local.get $g) (local.get $ctxRow)) (local.get $vt) (local.get $ds0) (local.get $ds1)
            (local.get $L) (local.get $dh) (f32.const 1))
          (call $dropout (local.get $ds0) (local.get $keepRow) (local.get $ds0) (local.get $L))
          (call $dropout (local.get $ds1) (local.get $keep1) (local.get $ds1) (local.get $L))
          (call $softmaxGrad (local.get $ds0) (local.get $p0) (local.get $L) (local.get $scale))
          (call $softmaxGrad (local.get $ds1) (local.get $p1) (local.get $L) (local.get $scale))
          ;; dq_i = dS k; dk_j += dS_ij q_i, row i then row i+1.
          (call $mix2 (local.get $ds0) (local.get $ds1) (i32.add (local.get $seq) (local.get $ctxRow)) (local.get $qkvRow)
            (local.get $dq) (i32.add (local.get $dq) (local.get $qkvRow)) (local.get $L) (local.get $dh))
          (call $spread2 (local.get $ds0) (local.get $ds1) (local.get $q) (i32.add (local.get $q) (local.get $qkvRow))
            (i32.add (local.get $dseq) (local.get $ctxRow)) (local.get $qkvRow) (local.get $L) (local.get $dh))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $qkvRow) (i32.const 1))))
          (local.set $dq (i32.add (local.get $dq) (i32.shl (local.get $qkvRow) (i32.const 1))))
          (local.set $g (i32.add (local.get $g) (i32.shl (local.get $ctxRow) (i32.const 1))))
          (if (local.get $keep) (then (local.set $keepRow (i32.add (local.get $keepRow) (i32.shl (local.get $rowL) (i32.const 1))))))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (br $rows)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $seqs)))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br $heads))))
)
