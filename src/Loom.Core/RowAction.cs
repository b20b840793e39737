namespace Loom.Core;

/// <summary>Per-row callback of <see cref="StridedLoop"/>: the storage offset of each operand at the row's first element.</summary>
internal delegate void RowAction(int[] offsets);
