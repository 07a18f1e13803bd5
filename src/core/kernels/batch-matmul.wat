;; Matrix products for the tfjs wasm backend, in WebAssembly SIMD.
;;
;; tfjs' wasm BatchMatMul hands a product to XNNPACK only when the batch holds
;; one matrix and nothing is transposed, and XNNPACK then repacks the right-hand
;; matrix on every call, because in training it is new every step. Everything
;; else (attention's [H*B, L, L] x [H*B, L, dh] products, every transposed
;; product in a backward pass) runs in a scalar loop at about 2 GFLOP/s. This
;; kernel does all of them four lanes at a time, in place in tfjs' memory.
;;
;; Pointers and strides are in bytes; b and out are row-major.
;;
;;   bmm(a, b, out, batch, m, k, n, aRow, aCol, mode, bias):
;;     out[p] = a[p] @ b[p] (+ bias), a [m,k] with a[i,kk] at
;;     a + p*m*k*4 + i*aRow + kk*aCol (so a may be stored transposed), b [k,n],
;;     out [m,n]. n must be a multiple of 4 and k at least 1 (the caller checks).
;;     mode bit 1: add the product to what out holds (so a long k can be done in
;;     slices that stay in cache); bit 2: ReLU each result as it is stored.
;;     bias: 0, or a row [n] every output row starts from (a dense layer's bias).
;;   transpose(src, dst, batch, rows, cols):   dst[p] = src[p]^T
;;   biasGrad(dy, y, g, db, rows, cols):   db = column sums of g [rows, cols],
;;     where g = dy, or with y given (not 0) g = dy * (y > 0), the gradient
;;     through a ReLU whose output was y, which is also written to g.
;;     cols must be a multiple of 4.
;;
;; Rows of out are made two at a time, so each row of b is loaded once for
;; both, and sixteen columns at a time (four accumulators a row).
;;
;; Products use f32x4.relaxed_madd (a fused multiply-add where the CPU has one).
;; `npm run kernels` also writes a plain-SIMD twin of this module, where each
;; (f32x4.relaxed_madd x y z) becomes (f32x4.add (f32x4.mul x y) z), for
;; engines without relaxed SIMD.
(module
  (import "env" "memory" (memory 0))

  (func (export "bmm")
    (param $a i32) (param $b i32) (param $out i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (param $aRow i32) (param $aCol i32) (param $mode i32) (param $bias i32)
    (local $rowB i32)  ;; bytes in a row of b and of out: 4n
    (local $p i32) (local $i i32) (local $j i32) (local $kk i32)
    (local $arow i32) (local $orow i32) (local $ap i32) (local $bp i32)
    (local $add i32) (local $relu i32)
    (local $s0 v128) (local $s1 v128) (local $w v128) (local $zero v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local.set $rowB (i32.shl (local.get $n) (i32.const 2)))
    (local.set $add (i32.and (local.get $mode) (i32.const 1)))
    (local.set $relu (i32.and (local.get $mode) (i32.const 2)))
    (block $done (loop $matrix
      (br_if $done (i32.ge_u (local.get $p) (local.get $batch)))
      (local.set $i (i32.const 0))

      ;; Rows i and i+1 together.
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
        (local.set $arow (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
        (local.set $orow (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $rowB))))
        (local.set $j (i32.const 0))
        (block $wideDone (loop $wide
          (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $rowB)))
          (if (local.get $add)
            (then
              (local.set $bp (i32.add (local.get $orow) (local.get $j)))
              (local.set $x0 (v128.load offset=0 (local.get $bp))) (local.set $x1 (v128.load offset=16 (local.get $bp)))
              (local.set $x2 (v128.load offset=32 (local.get $bp))) (local.set $x3 (v128.load offset=48 (local.get $bp)))
              (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
              (local.set $y0 (v128.load offset=0 (local.get $bp))) (local.set $y1 (v128.load offset=16 (local.get $bp)))
              (local.set $y2 (v128.load offset=32 (local.get $bp))) (local.set $y3 (v128.load offset=48 (local.get $bp))))
            (else (if (local.get $bias)
              (then
                (local.set $bp (i32.add (local.get $bias) (local.get $j)))
                (local.set $x0 (v128.load offset=0 (local.get $bp))) (local.set $x1 (v128.load offset=16 (local.get $bp)))
                (local.set $x2 (v128.load offset=32 (local.get $bp))) (local.set $x3 (v128.load offset=48 (local.get $bp)))
                (local.set $y0 (local.get $x0)) (local.set $y1 (local.get $x1))
                (local.set $y2 (local.get $x2)) (local.set $y3 (local.get $x3)))
              (else
                (local.set $x0 (local.get $zero)) (local.set $x1 (local.get $zero))
                (local.set $x2 (local.get $zero)) (local.set $x3 (local.get $zero))
                (local.set $y0 (local.get $zero)) (local.set $y1 (local.get $zero))
                (local.set $y2 (local.get $zero)) (local.set $y3 (local.get $zero))))))
          (local.set $ap (local.get $arow))
          (local.set $bp (i32.add (local.get $b) (local.get $j)))
          (local.set $kk (local.get $k))
          (loop $dot
            (local.set $s0 (v128.load32_splat (local.get $ap)))
            (local.set $s1 (v128.load32_splat (i32.add (local.get $ap) (local.get $aRow))))
            (local.set $w (v128.load offset=0 (local.get $bp)))
            (local.set $x0 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x0)))
            (local.set $y0 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y0)))
            (local.set $w (v128.load offset=16 (local.get $bp)))
            (local.set $x1 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x1)))
            (local.set $y1 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y1)))
            (local.set $w (v128.load offset=32 (local.get $bp)))
            (local.set $x2 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x2)))
            (local.set $y2 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y2)))
            (local.set $w (v128.load offset=48 (local.get $bp)))
            (local.set $x3 (f32x4.relaxed_madd (local.get $s0) (local.get $w) (local.get $x3)))
            (local.set $y3 (f32x4.relaxed_madd (local.get $s1) (local.get $w) (local.get $y3)))
            (local.set $ap (i32.add (local.get $ap) (local.get $aCol)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
            (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
            (br_if $dot (local.get $kk)))
          (if (local.get $relu) (then
            (local.set $x0 (f32x4.max (local.get $x0) (local.get $zero))) (local.set $x1 (f32x4.max (local.get $x1) (local.get $zero)))
            (local.set $x2 (f32x4.max (local.get $x2) (local.get $zero))) (local.set $x3 (f32x4.max (local.get $x3) (local.get $zero)))
            (local.set $y0 (f32x4.max (local.get $y0) (local.get $zero))) (local.set $y1 (f32x4.max (local.get $y1) (local.get $zero)))
            (local.set $y2 (f32x4.max (local.get $y2) (local.get $zero))) (local.set $y3 (f32x4.max (local.get $y3) (local.get $zero)))))
          (local.set $bp (i32.add (local.get $orow) (local.get $j)))
          (v128.store offset=0 (local.get $bp) (local.get $x0))
          (v128.store offset=16 (local.get $bp) (local.get $x1))
          (v128.store offset=32 (local.get $bp) (local.get $x2))
          (v128.store offset=48 (local.get $bp) (local.get $x3))
          (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
          (v128.store offset=0 (local.get $bp) (local.get $y0))
          (v128.store offset=16 (local.get $bp) (local.get $y1))
          (v128.store offset=32 (local.get $bp) (local.get $y2))
          (v128.store offset=48 (local.get $bp) (local.get $y3))
          (local.set $j (i32.add (local.get $j) (i32.const 64)))
          (br $wide)))
        (block $narrowDone (loop $narrow
          (br_if $narrowDone (i32.ge_u (local.get $j) (local.get $rowB)))
          (local.set $bp (i32.add (local.get $orow) (local.get $j)))
          (if (local.get $add)
            (then
              (local.set $x0 (v128.load (local.get $bp)))
              (local.set $y0 (v128.load (i32.add (local.get $bp) (local.get $rowB)))))
            (else (if (local.get $bias)
              (then
                (local.set $x0 (v128.load (i32.add (local.get $bias) (local.get $j))))
                (local.set $y0 (local.get $x0)))
              (else
                (local.set $x0 (local.get $zero))
                (local.set $y0 (local.get $zero))))))
          (local.set $ap (local.get $arow))
          (local.set $bp (i32.add (local.get $b) (local.get $j)))
          (local.set $kk (local.get $k))
          (loop $dot
            (local.set $w (v128.load (local.get $bp)))
            (local.set $x0 (f32x4.relaxed_madd (v128.load32_splat (local.get $ap)) (local.get $w) (local.get $x0)))
            (local.set $y0 (f32x4.relaxed_madd (v128.load32_splat (i32.add (local.get $ap) (local.get $aRow))) (local.get $w) (local.get $y0)))
            (local.set $ap (i32.add (local.get $ap) (local.get $aCol)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
            (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
            (br_if $dot (local.get $kk)))
          (if (local.get $relu) (then
            (local.set $x0 (f32x4.max (local.get $x0) (local.get $zero)))
            (local.set $y0 (f32x4.max (local.get $y0) (local.get $zero)))))
          (local.set $bp (i32.add (local.get $orow) (local.get $j)))
          (v128.store (local.get $bp) (local.get $x0))
          (v128.store (i32.add (local.get $bp) (local.get $rowB)) (local.get $y0))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $narrow)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))

      ;; The last row when m is odd, sixteen then four columns at a time.
      (if (i32.lt_u (local.get $i) (local.get $m)) (then
        (local.set $arow (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
        (local.set $orow (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $rowB))))
        (local.set $j (i32.const 0))
        (block $wideDone (loop $wide
          (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $rowB)))
          (local.set $bp (select (i32.add (local.get $orow) (local.get $j)) (i32.add (local.get $bias) (local.get $j)) (local.get $add)))
          (if (i32.or (local.get $add) (local.get $bias))
            (then
              (local.set $x0 (v128.load offset=0 (local.get $bp))) (local.set $x1 (v128.load offset=16 (local.get $bp)))
              (local.set $x2 (v128.load offset=32 (local.get $bp))) (local.set $x3 (v128.load offset=48 (local.get $bp))))
            (else
              (local.set $x0 (local.get $zero)) (local.set $x1 (local.get $zero))
              (local.set $x2 (local.get $zero)) (local.set $x3 (local.get $zero))))
          (local.set $ap (local.get $arow))
          (local.set $bp (i32.add (local.get $b) (local.get $j)))
          (local.set $kk (local.get $k))
          (loop $dot
            (local.set $s0 (v128.load32_splat (local.get $ap)))
            (local.set $x0 (f32x4.relaxed_madd (local.get $s0) (v128.load offset=0 (local.get $bp)) (local.get $x0)))
            (local.set $x1 (f32x4.relaxed_madd (local.get $s0) (v128.load offset=16 (local.get $bp)) (local.get $x1)))
            (local.set $x2 (f32x4.relaxed_madd (local.get $s0) (v128.load offset=32 (local.get $bp)) (local.get $x2)))
            (local.set $x3 (f32x4.relaxed_madd (local.get $s0) (v128.load offset=48 (local.get $bp)) (local.get $x3)))
            (local.set $ap (i32.add (local.get $ap) (local.get $aCol)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
            (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
            (br_if $dot (local.get $kk)))
          (if (local.get $relu) (then
            (local.set $x0 (f32x4.max (local.get $x0) (local.get $zero))) (local.set $x1 (f32x4.max (local.get $x1) (local.get $zero)))
            (local.set $x2 (f32x4.max (local.get $x2) (local.get $zero))) (local.set $x3 (f32x4.max (local.get $x3) (local.get $zero)))))
          (local.set $bp (i32.add (local.get $orow) (local.get $j)))
          (v128.store offset=0 (local.get $bp) (local.get $x0))
          (v128.store offset=16 (local.get $bp) (local.get $x1))
          (v128.store offset=32 (local.get $bp) (local.get $x2))
          (v128.store offset=48 (local.get $bp) (local.get $x3))
          (local.set $j (i32.add (local.get $j) (i32.const 64)))
          (br $wide)))
        (block $narrowDone (loop $narrow
          (br_if $narrowDone (i32.ge_u (local.get $j) (local.get $rowB)))
          (local.set $bp (select (i32.add (local.get $orow) (local.get $j)) (i32.add (local.get $bias) (local.get $j)) (local.get $add)))
          (local.set $x0 (local.get $zero))
          (if (i32.or (local.get $add) (local.get $bias)) (then (local.set $x0 (v128.load (local.get $bp)))))
          (local.set $ap (local.get $arow))
          (local.set $bp (i32.add (local.get $b) (local.get $j)))
          (local.set $kk (local.get $k))
          (loop $dot
            (local.set $x0 (f32x4.relaxed_madd (v128.load32_splat (local.get $ap)) (v128.load (local.get $bp)) (local.get $x0)))
            (local.set $ap (i32.add (local.get $ap) (local.get $aCol)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
            (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
            (br_if $dot (local.get $kk)))
          (if (local.get $relu) (then (local.set $x0 (f32x4.max (local.get $x0) (local.get $zero)))))
          (v128.store (i32.add (local.get $orow) (local.get $j)) (local.get $x0))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $narrow)))))

      (local.set $a (i32.add (local.get $a) (i32.mul (local.get $m) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $b (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $rowB))))
      (local.set $out (i32.add (local.get $out) (i32.mul (local.get $m) (local.get $rowB))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $matrix))))

  (func (export "transpose")
    (param $src i32) (param $dst i32) (param $batch i32) (param $rows i32) (param $cols i32)
    (local $p i32) (local $r i32) (local $c i32) (local $d i32) (local $step i32)
    (local.set $step (i32.shl (local.get $rows) (i32.const 2)))
    (block $done (loop $matrix
      (br_if $done (i32.ge_u (local.get $p) (local.get $batch)))
      (local.set $r (i32.const 0))
      (block $rowsDone (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        ;; src row r becomes dst column r.
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $c (i32.const 0))
        (block $colsDone (loop $col
          (br_if $colsDone (i32.ge_u (local.get $c) (local.get $cols)))
          (f32.store (local.get $d) (f32.load (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 4)))
          (local.set $d (i32.add (local.get $d) (local.get $step)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $col)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row)))
      (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $step) (local.get $cols))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $matrix))))

  (func (export "biasGrad")
    (param $dy i32) (param $y i32) (param $g i32) (param $db i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $end i32) (local $c i32) (local $rowB i32) (local $at i32) (local $d v128) (local $zero v128)
    (local.set $rowB (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end (i32.mul (local.get $rows) (local.get $rowB)))
    ;; db starts at zero, then gathers one row at a time: each row is read once, in order.
    (local.set $c (i32.const 0))
    (block $zeroed (loop $zeroing
      (br_if $zeroed (i32.ge_u (local.get $c) (local.get $rowB)))
      (v128.store (i32.add (local.get $db) (local.get $c)) (local.get $zero))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $zeroing)))
    ;; $r is the byte offset of the row.
    (block $done (loop $row
      (br_if $done (i32.ge_u (local.get $r) (local.get $end)))
      (local.set $c (i32.const 0))
      (block $rowDone (loop $col
        (br_if $rowDone (i32.ge_u (local.get $c) (local.get $rowB)))
        (local.set $at (i32.add (local.get $r) (local.get $c)))
        (local.set $d (v128.load (i32.add (local.get $dy) (local.get $at))))
        (if (local.get $y) (then
          ;; ReLU passes the gradient where its output was positive.
          (local.set $d (v128.and (local.get $d)
            (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $at))) (local.get $zero))))
          (v128.store (i32.add (local.get $g) (local.get $at)) (local.get $d))))
        (v128.store (i32.add (local.get $db) (local.get $c))
          (f32x4.add (v128.load (i32.add (local.get $db) (local.get $c))) (local.get $d)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $col)))
      (local.set $r (i32.add (local.get $r) (local.get $rowB)))
      (br $row))))
)
