"""Where torch's behaviour changed between versions, differs by device, or is left unspecified
by the reference.  One table; the suite consults it, and the closing notes cite it.

The reference follows the torch release CI installs (``reference.TORCH_VERSION``) on the CPU.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownDifference:
    op: str
    device: str  # "cpu", "cuda" or "*"
    what: str
    handling: str


TABLE: tuple[KnownDifference, ...] = (
    KnownDifference(
        "*",
        "*",
        "complex32 (ComplexHalf) and bfloat16 have no NumPy twin: torch promotes float16 with a complex scalar "
        "to complex32.",
        "the reference raises NotImplementedError naming complex32 instead of guessing; bfloat16 is absent.",
    ),
    KnownDifference(
        "gather",
        "*",
        "index dtype: torch 1.x accepted only int64; 2.x (2.13 here) also accepts int32.",
        "reference follows 2.13: int32 and int64 accepted; other dtypes raise RuntimeError.",
    ),
    KnownDifference(
        "index_select",
        "*",
        "a position out of range: torch raises IndexError ('index out of range in self') on its serial kernel "
        "(dim 0, 0-d and 1-d inputs, complex) and RuntimeError ('INDICES element is out of DATA bounds') on the "
        "vectorised one (dim > 0 of real tensors with 2+ dims).",
        "the reference raises IndexError everywhere; invalid cases put the bad position along dim 0, where the "
        "class is fixed.",
    ),
    KnownDifference(
        "clamp",
        "cuda",
        "signed zero at a tie: on CPU torch keeps the input's zero (clamp(-0.0, min=0.0) is -0.0); CUDA kernels "
        "use fmin/fmax-style selection and may return the bound's zero.",
        "the exact comparison ignores the sign of zero for clamp on CUDA only.",
    ),
    KnownDifference(
        "clamp",
        "*",
        "backward with two tensor bounds raises 'output with shape [..] doesn't match the broadcast shape [..]' "
        "when a bound is smaller than the broadcast output (torch combines masks with in-place logical_and_).",
        "modelled: the reference raises the same RuntimeError under the same shape condition.",
    ),
    KnownDifference(
        "clamp",
        "*",
        "a 0-d tensor bound beside a Python-number bound is read as a Number only when it does not require grad; "
        "if it requires grad, no overload matches (TypeError).",
        "modelled.",
    ),
    KnownDifference(
        "clamp",
        "cpu",
        "signed zero at a tie with a *tensor* bound: elements handled by the vectorised loop take the bound's zero, "
        "the scalar tail keeps the input's (so it depends on length and position); scalar bounds always keep the input's.",
        "the exact comparison ignores the sign of zero for clamp with tensor bounds; scalar bounds are compared bit for bit.",
    ),
    KnownDifference(
        "pow",
        "*",
        "complex pow with a zero or non-finite base: torch's complex kernel gives NaN (exp(b * log a)), NumPy "
        "gives 1 for a**0.",
        "the reference raises NotImplementedError for a complex power with a zero or non-finite base; the "
        "strategies keep complex bases finite and non-zero.",
    ),
    KnownDifference(
        "pow",
        "*",
        "second-order gradient at a negative or non-finite base with a zero exponent tensor: torch's masked "
        "first-order formula yields a finite value, the reference's where()-masked one NaN (0 * log(x) terms).",
        "not modelled; the double-backward test keeps pow's base finite and positive. First-order gradients are "
        "compared everywhere.",
    ),
    KnownDifference(
        "pow",
        "*",
        "backward: a zero *number* exponent gives plain zeros (no graph), but a bool False exponent takes the "
        "general formula exponent * x**(exponent - 1), which is NaN at x == 0; a bool *tensor* exponent makes the "
        "base's backward raise (bool subtraction).",
        "modelled; the finite-difference check skips bool exponents.",
    ),
    KnownDifference(
        "clamp",
        "*",
        "scalar bounds on unsigned tensors: c10 accepts negatives down to -max and wraps them (uint8: -1 -> 255) "
        "but rejects values above max.",
        "reference wraps and rejects identically; covered by clamp_args and clamp_invalid.",
    ),
    KnownDifference(
        "einsum",
        "*",
        "with the opt_einsum package installed (torch.backends.opt_einsum enabled, its default then), torch "
        "contracts three or more operands in the order opt_einsum finds, which changes the result's strides, its "
        "graph's nodes, the rounding and, for narrower integers, bool and mixed dtypes, the result dtype or "
        "whether bmm refuses.",
        "the reference models torch's left-to-right plan (torch without opt_einsum, or with "
        "torch.backends.opt_einsum.enabled = False; reference.backends.opt_einsum.is_available() is False) and "
        "the suite pins torch to that plan, so strides, grad_fn names, dtypes and refusals are all compared.",
    ),
    KnownDifference(
        "*",
        "*",
        "out= sharing memory with an input where torch's outcome depends on its loop order or varies by op: "
        "an input that is not dense (torch does not check it), an out that must be resized while it overlaps "
        "an input, and any overlap for ops torch computes in place without a check (matmul, tril/triu, the "
        "reductions, nonzero); out= that must be resized while non-empty and too small (torch grows its "
        "storage in place) or while being a view.",
        "the reference raises NotImplementedError naming the case.  Modelled and tested by "
        "conformance/test_out.py against torch: an elementwise op writing into exactly one of its inputs "
        "(computed in place), a partial overlap (RuntimeError), ops that refuse any overlap (gather, "
        "index_select, take, masked_select, the joins; index_add/scatter/scatter_add allow out=self), an out "
        "whose elements share memory (RuntimeError), resizing from empty and shrinking a contiguous out (same "
        "memory, with torch's deprecation warning).",
    ),
    KnownDifference(
        "*",
        "*",
        "an in-place operand overlapping the written tensor where one of them is not dense (a broadcast "
        "operand, a strided slice): torch skips its overlap check and its loop reads elements already written, "
        "so the result depends on the loop order.",
        "the reference raises NotImplementedError; dense partial overlap raises torch's RuntimeError, and an "
        "operand that is exactly the written tensor is computed as torch does.",
    ),
    KnownDifference(
        "*",
        "*",
        "Tensor.register_hook on a view whose base was modified in place after the view was made "
        "(x.view(...), then x.mul_() under no_grad): torch 2.13 crashes the interpreter (segmentation fault) "
        "where it would regenerate the view's grad_fn.",
        "the reference raises NotImplementedError; the program generator hooks only values that are not views.",
    ),
    KnownDifference(
        "*",
        "*",
        "x[index] = values with repeated positions (index_put_ without accumulate): torch documents the result as "
        "undefined; its CPU kernel writes in order for small tensors (the last write wins), CUDA and parallel CPU "
        "loops may pick any.",
        "the reference writes the last value; the indexing tests compare writes on the CPU target with small tensors.",
    ),
    KnownDifference(
        "*",
        "*",
        "a custom autograd.Function that marks dirty an input which is a view: torch rebases the view's base "
        "through CopySlices around the Function's node.",
        "the reference raises NotImplementedError; dirty inputs that are not views, inputs returned as is, views "
        "returned from forward and non-differentiable outputs are modelled.",
    ),
    KnownDifference(
        "*",
        "*",
        "NumPy arrays as operators' operands: torch's forward operators convert them (tensor + ndarray), its "
        "reflected, in-place and ordering operators give NotImplemented, and Python then hands the operation to "
        "NumPy, whose ufuncs may compute it and wrap the result back into a tensor (__array_wrap__) or raise "
        "NumPy's own errors.",
        "the reference converts where torch converts and gives NotImplemented where torch does (checked by hand); "
        "what NumPy then computes with a reference Tensor is not modelled and not generated.",
    ),
    KnownDifference(
        "bernoulli_, bernoulli, nn.Dropout",
        "cpu",
        "bernoulli_ with a number p: on an Intel CPU (cpuinfo's vendor of processor 0) torch's MKL build draws "
        "from MKL's MCG31 stream seeded by one 32-bit draw (viRngBernoulli), elsewhere from the Mersenne "
        "Twister like every other sampler.",
        "the Mersenne Twister path is modelled bit for bit; on an Intel CPU the reference raises "
        "NotImplementedError naming the MKL stream (it could not be checked on this machine).",
    ),
    KnownDifference(
        "Tensor.uniform_, Tensor.normal_, rand, randn, nn.init, nn.Linear",
        "cpu",
        "the roundings of torch's random kernels depend on the CPU kernel set: the AVX2 kernels fuse "
        "x * (to - from) + from and value * std + mean and compute float normals with Cephes polynomials "
        "(measured); the generic kernels do neither (measured with ATEN_CPU_CAPABILITY=default); the AVX512 "
        "kernels are modelled from torch's source and build flags (fused, generic float normals), not "
        "measured on an AVX512 machine.",
        "modelled per kernel set (reference.backends.cpu.get_cpu_capability(), checked equal to torch's by "
        "the suite); where the CPU's features cannot be read, the paths that depend on them raise "
        "NotImplementedError.",
    ),
    KnownDifference(
        "Tensor.uniform_, Tensor.normal_, Tensor.bernoulli_, nn.init",
        "*",
        "an in-place sampler on an inference tensor outside inference mode: torch fills the tensor (and "
        "advances the generator) before its ADInplaceOrView check raises.",
        "the reference raises the same RuntimeError before drawing: the tensor and the generator are left "
        "as they were (found by the red-team pass; not yet modelled).",
    ),
    KnownDifference(
        "div, mul (float16 with a Python float), nn.functional.dropout (float16)",
        "cpu",
        "a float16 tensor divided by a Python float that float16 cannot hold: torch computes in float "
        "(x / 0.7 gives 1.4287 for x = 1), the reference rounds the scalar to float16 first (1.4277). Found by "
        "the red-team pass of the samplers through dropout's 1 / (1 - p) scaling.",
        "not fixed yet (an elementwise-domain change): the dropout generator keeps to float32/float64; the "
        "elementwise generators still need the case (a float16 tensor with a scalar float16 cannot hold).",
    ),
    KnownDifference(
        "Tensor.bernoulli_",
        "*",
        "bernoulli_ on an integer or bool tensor with a p that requires grad: torch marks the integer result "
        "as requiring grad, and its backward fails an internal assert (isDifferentiableType).",
        "the reference raises NotImplementedError naming it.",
    ),
    KnownDifference(
        "svd",
        "*",
        "a matrix with an infinite entry: torch does not raise; S is NaN and U/Vh are whatever LAPACK's scaling "
        "left (sometimes finite, sometimes NaN).",
        "reference returns NaN for U, S and Vh; not generated (a NaN entry, which raises LinAlgError, is).",
    ),
    KnownDifference(
        "add",
        "*",
        "input + alpha * other with alpha != 1 on floating tensors: torch's vectorised CPU loop fuses the product "
        "and the sum (one rounding, vec::fmadd), its scalar loop and CUDA kernel may round twice; which elements "
        "take which loop depends on the layout.",
        "the reference rounds twice in torch's opmath type; such cases are compared to one rounding of "
        "|input| + |alpha * other| (tolerance family 'fused').  Also for sub.",
    ),
    KnownDifference(
        "pow",
        "*",
        "a complex power that overflows: torch's and NumPy's complex exp/log give different finite garbage or "
        "signs in the part that is not infinite ((27j) ** 27.0: torch 8.9e32-inf j, NumPy -0-inf j).",
        "not generated: complex cases keep exponent parts within [-4, 4].",
    ),
    KnownDifference(
        "svd",
        "*",
        "singular vectors are unique only up to sign/phase, and not at all for repeated or zero singular values.",
        "compared gauge-invariantly (S, reconstruction, orthonormality, u_j v_j^H for well-separated values).",
    ),
    KnownDifference(
        "linalg.matrix_norm",
        "*",
        "ord='nuc', 2 and -2 (also through linalg.norm and torch.norm) differentiate through linalg.svdvals; torch "
        "differentiates them twice.",
        "the reference's SVD backward is written in NumPy (first order): create_graph=True raises "
        "NotImplementedError naming it; the double-backward test leaves those orders out (gradgrad_cases).",
    ),
    KnownDifference(
        "linalg.vector_norm",
        "*",
        "second derivatives of half inputs for a fractional or negative ord: torch rounds |x| ** (p - 2) and its "
        "neighbours to half at each op of its double backward, 25% apart from the reference's on some inputs.",
        "compared for ord 1, 2 and +-inf in half and for every ord in float32/float64; half with other orders is "
        "left out of the double-backward test (gradgrad_cases).  Also for dist, linalg.norm and torch.norm.",
    ),
    KnownDifference(
        "linalg.det",
        "*",
        "the second derivative at an exactly singular matrix: torch's backward switches to an SVD formula "
        "under create_graph.",
        "the reference raises NotImplementedError naming it; the double-backward test leaves singular "
        "matrices out (gradgrad_cases).  The first derivative there (0, torch's convention) is modelled.",
    ),
    KnownDifference(
        "linalg.slogdet",
        "*",
        "the gradient at a singular matrix: torch's LU solve divides by the zero pivot (inf/NaN gradients).",
        "the reference refuses (LinAlgError from its inverse); gradient tests leave singular matrices out.",
    ),
    KnownDifference(
        "linalg.cholesky",
        "*",
        "double backward of linalg.cholesky, eigh, eigvalsh, eig, eigvals, qr, lu_factor, lu and lu_solve: torch "
        "differentiates their backward formulas again.",
        "the reference's backward of these is written in NumPy (first order): create_graph=True raises "
        "NotImplementedError naming it (gradgrad=False on the entries).",
    ),
    KnownDifference(
        "linalg.inv",
        "*",
        "out= of linalg.det, slogdet, inv, solve, cholesky, eigh, eigvalsh, eig, eigvals and qr: torch writes into it.",
        "the reference raises NotImplementedError naming the op's out=.",
    ),
    KnownDifference(
        "linalg.inv",
        "*",
        "which matrices count as exactly singular: LAPACK's LU (MKL's in torch's wheel) meets an exact zero pivot "
        "only where its rounding makes one; two equal rows do so for some values and not others (the multiplier "
        "x * (1/x) need not be 1).",
        "the reference's LU gives equal rows the multiplier 1 exactly; the generators make singular matrices "
        "with a zero row or column, singular in any arithmetic (also for solve, det and slogdet).",
    ),
    KnownDifference(
        "linalg.eigvals",
        "*",
        "a matrix with a NaN or infinite entry: torch returns whatever LAPACK's geev computes (linalg.eig refuses it).",
        "the reference raises NotImplementedError naming it; not generated.",
    ),
    KnownDifference(
        "linalg.lu_factor",
        "*",
        "the values of L and U: LAPACK's getrf is blocked (recursive in MKL), the reference eliminates column by "
        "column; both pivot on the largest |re| + |im| of the column, so the pivots agree except where two "
        "candidates tie to within rounding.",
        "compared to cond(A) * eps (tolerance family 'conditioned'); the pivots exactly.  Also for linalg.lu.",
    ),
    KnownDifference(
        "linalg.lu",
        "*",
        "gradients of lu, lu_factor and qr at an exactly singular (rank-deficient) input: torch's triangular "
        "solves divide by the zero pivot, leaving a pattern of inf and NaN that depends on the solve's order.",
        "the reference gives NaN everywhere there (no error); the gradient tests use full-rank inputs.",
    ),
    KnownDifference(
        "linalg.lu_solve",
        "*",
        "an LU with a zero on U's diagonal: torch's triangular solves return inf/NaN in a pattern of their own.",
        "the reference raises NotImplementedError naming it; not generated.",
    ),
    KnownDifference(
        "fft.*",
        "*",
        "an input with NaN or infinity: which outputs turn NaN (or +-inf in which part) depends on the FFT "
        "algorithm's factorization of n (MKL's and NumPy's pocketfft differ at n = 6, 9, 10, ...), not on a rule "
        "torch states.",
        "the reference raises NotImplementedError naming it; the strategies keep signals finite.",
    ),
    KnownDifference(
        "fft.*",
        "*",
        "out= of the transforms and of fftfreq/rfftfreq: torch computes the result, then resizes out to "
        "contiguous strides and copies (not the result's layout).",
        "not modelled: the reference raises NotImplementedError naming out=.",
    ),
    KnownDifference(
        "fft.*",
        "cpu",
        "an empty batch (a zero-size dim beside the transformed ones): torch's MKL plan refuses it "
        "('MKL FFT error: ... Inconsistent configuration parameters'); CUDA, meta and other kernels may return "
        "an empty result.",
        "the reference raises torch's CPU RuntimeError; the invalid strategies check it.",
    ),
    KnownDifference(
        "fft.*",
        "*",
        "float16 (and complex32): torch's CPU kernels refuse them ('Unsupported dtype Half'); CUDA and meta accept "
        "half for power-of-two lengths.",
        "the reference follows the CPU and refuses them; complex32 has no NumPy twin.",
    ),
    KnownDifference(
        "fft.ifft",
        "*",
        "the inverse transforms of a real input (ifft, ihfft) return a lazily conjugated view "
        "(is_conj() is True; .numpy() refuses it until resolve_conj()).",
        "the reference returns the conjugated values (same values, strides, dtype and grad_fn ConjBackward0); "
        "it has no conjugate bit, is_conj() or resolve_conj().",
    ),
    KnownDifference(
        "fft.*",
        "*",
        "the last bits of a transform: MKL and NumPy's pocketfft factor n differently, so a value torch gets "
        "exactly (hfft of integers, 0 at a cancelling bin) may be off by an ulp or two in the reference, and "
        "printing, which picks its format from the values, can then differ (2.9802e-08 vs 0.0000).",
        "values are compared to the 'fft' tolerance (relative to the sum of |terms|); the mirrored half of a "
        "real input's full spectrum is filled in exactly as torch fills it (its conjugate signed zeros "
        "included).",
    ),
    KnownDifference(
        "fft.hfft2",
        "*",
        "hfft2, hfftn, ihfft2, ihfftn (the Hermitian transforms over several dims).",
        "not modelled: the reference's torch.fft namespace does not define them (AttributeError).",
    ),
    KnownDifference(
        "linalg.cholesky",
        "*",
        "a matrix positive-definite only to within rounding, which LAPACK's potrf refuses while the float64 "
        "Cholesky recurrence does not: torch names the minor its potrf failed at.",
        "the reference raises NotImplementedError naming it (it cannot know which minor MKL's blocked potrf "
        "reached); not generated (the positive-definite generator keeps eigenvalues >= n).",
    ),
    KnownDifference(
        "scatter",
        "*",
        "scatter(..., reduce='add'/'multiply'): deprecated in torch for a tensor src (scatter_reduce replaces it), "
        "and its backward is not implemented there.",
        "the reference raises NotImplementedError naming reduce=; strategies do not pass it.",
    ),
    KnownDifference(
        "load",
        "*",
        "the legacy (non-zip) format of _use_new_zipfile_serialization=False, load(mmap=True), pickle_module=, and "
        "tensors of dtypes the reference lacks (bfloat16, uint16/32/64, float8, quantized), sparse, meta, nested "
        "and subclass tensors: torch loads them.",
        "the reference raises NotImplementedError naming the format, option, dtype or kind of tensor.",
    ),
    KnownDifference(
        "load",
        "*",
        "a file that is neither a zip archive nor a legacy pickle: torch reads it as a legacy pickle, and the "
        "class of its error depends on the bytes (KeyError for b'just...', EOFError, UnpicklingError).",
        "the reference raises pickle.UnpicklingError saying the file is not a checkpoint.",
    ),
    KnownDifference(
        "load",
        "*",
        "a record stored compressed that expands more than 100 times (a zip bomb): torch writes stored records only "
        "but inflates a compressed one when it meets one.",
        "the reference refuses it (RuntimeError naming the record) before inflating anything.",
    ),
    KnownDifference(
        "load",
        "*",
        "a zip record whose CRC-32 does not match its bytes: torch's reader (miniz) does not check CRCs and loads "
        "the corrupted values.",
        "the reference's reader (Python's zipfile) checks them and raises RuntimeError naming the record.",
    ),
    KnownDifference(
        "load",
        "*",
        "a tensor whose sizes and strides NumPy cannot represent (an extent past 2**63 bytes: size (0,) with stride "
        "2**62, or a (2**31-1, 2**31-1) expand of stride 0): torch builds it.",
        "the reference raises NotImplementedError naming the sizes and strides.",
    ),
    KnownDifference(
        "load",
        "*",
        "torch 2.13 crashes the interpreter (segfault in UntypedStorage.byteswap) loading a big-endian checkpoint "
        "with map_location='meta' (found by the malformed-checkpoint generator).",
        "the reference refuses meta storages (NotImplementedError); the differential test does not run torch there.",
    ),
    KnownDifference(
        "save",
        "*",
        "a whole nn.Module (or any object torch pickles by its class): torch writes it, and torch.load refuses it "
        "unless weights_only=False.",
        "the reference raises NotImplementedError: save the module's state_dict().",
    ),
    KnownDifference(
        "pow",
        "cpu",
        "a nonzero Python exponent that rounds to 0 in the result's floating dtype (x ** 1e-50 in float32): "
        "torch's vectorised loop raises to the rounded 0 and its scalar loop to the double, so a zero, "
        "infinite or NaN base gives 1 in SIMD blocks and 0/inf/NaN in the tail (found by the out= generator).",
        "the reference raises NotImplementedError for such an exponent with such a base; other bases give 1 "
        "either way and are computed.",
    ),
    KnownDifference(
        "matmul",
        "*",
        "out= that is not contiguous (resized with a warning for a vector-matrix product, refused for batched "
        "products) and a non-empty out= for a vector-matrix product (resized through a (1, n) shape: warned "
        "unless out has that shape).",
        "the reference raises NotImplementedError naming the case; empty and contiguous outs are modelled.",
    ),
    KnownDifference(
        "tril",
        "*",
        "torch 2.13's tril and triu write a batch of matrices into a non-contiguous out= wrongly: out of bounds "
        "when the matrices have one row (heap corruption, found by the out= generator), or wrong values.",
        "the reference raises NotImplementedError there (triu too); conformance/test_out.py runs those cases on "
        "the reference alone (OpInfo.out_crashes_torch) and requires the refusal.",
    ),
    KnownDifference(
        "linspace",
        "cpu",
        "torch's CPU kernel computes the points of each SIMD vector block as base + j*step (and the rest per "
        "point, with fused multiply-adds), so a float point may differ from start + i*step in the last bit and "
        "an integer point (a truncated double) by one, depending on the vector width and the thread split.",
        "the reference computes every point by torch's per-point formula (the first half from start, the rest "
        "from end); the 'stepped' tolerance family (conformance/tolerances.py) allows those bits.  With a "
        "complex dtype, a NaN or infinite end (and for logspace a zero or negative base) is refused "
        "(NotImplementedError): c10::complex arithmetic with infinities differs from NumPy's.",
    ),
    KnownDifference(
        "device",
        "*",
        "tensors on a device other than the CPU (to('cuda'), cuda(), device='meta' on a factory, "
        "with torch.device('mps'), ...): a CUDA build of torch makes CUDA tensors and any torch makes meta "
        "tensors; a CPU build refuses the others each its own way (AssertionError 'Torch not compiled with CUDA "
        "enabled', RuntimeError 'PyTorch is not linked with support for mps devices', NotImplementedError "
        "'Could not run ...', ModuleNotFoundError for hpu and privateuseone).  Also a device index past 127: "
        "torch keeps it in 8 bits and wraps it (device('cpu', 255) has no index, device('cpu:128') prints "
        "index=65408).",
        "the reference runs on the CPU only: every device type makes a device object, and every check torch "
        "makes first (argument types, the device string, a negative index, no accelerator for an int) is "
        "modelled; using another device for a tensor raises NotImplementedError naming it ('runs on the CPU "
        "only'), and so does an index past 127.",
    ),
    KnownDifference(
        "optim.Adam",
        "cpu",
        "torch's CPU sqrt of a float tensor goes through MKL's vsSqrt, which is not correctly rounded (measured: "
        "1 ulp off the correctly rounded root for ~17% of float32 elements); Adam and AdamW divide by that root.",
        "the reference's sqrt is IEEE's: Adam's and AdamW's parameter updates can differ from torch's by a few "
        "ulp (the 'optimizer' tolerance); the moment estimates and step counts are torch's bit for bit, and so "
        "is every SGD update (its fused multiply-adds are modelled).",
    ),
    KnownDifference(
        "add",
        "cpu",
        "with alpha and a Python-number other, torch's AVX2 kernel fuses alpha * other + input in its vectorised "
        "blocks and scalar tail but not in the auto-vectorised remainder loop (the last n mod 16 floats, after "
        "one peeled element): those round the product first.",
        "the reference fuses everywhere on AVX2/AVX512 (bit for bit with a tensor other, measured); a number "
        "other's remainder lanes may differ by 1 ulp, within the 'fused' tolerance.",
    ),
    KnownDifference(
        "nn.functional.log_softmax",
        "cpu",
        "torch's half (float16) softmax kernels round intermediates to half (the log-sum-exp before subtracting).",
        "the reference computes half in float32 and rounds once; results differ by up to one half ulp of "
        "max + log(sum) (the 'softmax' tolerance for float16, measured).",
    ),
    KnownDifference(
        "optim",
        "*",
        "foreach=True, fused=True, differentiable=True and capturable=True select other implementations of the "
        "optimizers (multi-tensor kernels, graph-recorded updates); lr_scheduler.step(epoch) is deprecated.",
        "the reference models torch's default single-tensor CPU path and raises NotImplementedError naming the "
        "option otherwise; complex parameters in Adam are refused likewise.",
    ),
    KnownDifference(
        "nn.functional.embedding",
        "*",
        "sparse=True makes the table's gradient a sparse tensor; nn.Unflatten also takes a named dim with "
        "named sizes (named tensors).",
        "the reference has no sparse or named tensors: both raise NotImplementedError naming them.",
    ),
    KnownDifference(
        "nn.functional.layer_norm",
        "cpu",
        "torch's float32 layer_norm and batch_norm moments lose precision when the values sit on a large offset "
        "(about eps * (mean / std)**2 relative; measured 1e-5 at an offset of 100 with a spread of 0.3).",
        "the reference computes the moments in double (more accurate than torch there); the suite generates "
        "large offsets in float64, where both agree.",
    ),
    KnownDifference(
        "nn.functional.conv1d, nn.functional.conv2d, nn.functional.conv_transpose2d",
        "*",
        "convolutions in float16, bfloat16, complex and integer dtypes (each with its own accumulation in "
        "torch's kernels), inputs with no channels or weights with no elements (torch's output sizes follow its "
        "backend there), and a module whose fan_in is 0 with a bias (torch leaves the bias uninitialized).",
        "the reference raises NotImplementedError naming each; bool raises torch's own NotImplementedError. "
        "float32 and float64 are computed in float64 and rounded once (torch accumulates float32 in float32: "
        "within the summing family's tolerance).",
    ),
    KnownDifference(
        "nn.functional.max_pool2d, nn.functional.avg_pool2d",
        "*",
        "max_pool2d's gradient through a window that has no tap inside the input (a dilated kernel over a "
        "small padded input): torch reports the window's position past the input's plane and its backward "
        "adds the gradient there, outside the plane (out of bounds, into another plane or past the buffer); "
        "pooling in float16 and bfloat16, and avg_pool2d of integers (torch's own accumulation and rounding).",
        "the forward (the lowest value, torch's index) is modelled; that backward raises NotImplementedError "
        "naming it and the gradient tests leave those cases out; the other dtypes raise NotImplementedError.",
    ),
    KnownDifference(
        "nn.functional.pad",
        "*",
        "reflect, replicate and circular padding with a negative pad (torch crops, with its own size checks); "
        "the first derivative of circular padding taken with create_graph: torch's graph ends in "
        "SliceBackwardBackward0, the reference's narrow backward in IndexPutBackward0 (the values agree).",
        "negative non-constant pads raise NotImplementedError naming them (not generated); the grad_fn of "
        "gradients is not compared by the suite.",
    ),
    KnownDifference(
        "get_num_threads",
        "cpu",
        "the initial thread counts come from torch's OpenMP runtime and cpuinfo (physical cores; "
        "OMP_NUM_THREADS/MKL_NUM_THREADS, which torch 2.13 on Linux caps at the machine's CPUs), and "
        "set_num_interop_threads fails once inter-op work has started; the settings change how torch computes.",
        "the reference computes single-threaded with NumPy and only keeps the settings: get_num_threads starts "
        "at MKL_NUM_THREADS or OMP_NUM_THREADS (at most os.cpu_count()), else the CPUs the process may run on; "
        "get_num_interop_threads at os.cpu_count(); an interop count can be set once (it never starts "
        "inter-op work).  Argument checks and messages are torch's.",
    ),
)


def lookup(op: str, device: str) -> list[KnownDifference]:
    return [k for k in TABLE if k.op in (op, "*") and k.device in (device, "*")]
