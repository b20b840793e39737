namespace Loom.Core;

/// <summary>Elementwise binary operations with broadcasting.</summary>
internal enum BinaryKind
{
    Add,
    Sub,
    Mul,
    Div,
}
