using System.Globalization;
using System.Text;

namespace Loom.Formats.Gguf;

/// <summary>
/// One GGUF metadata value: a scalar, a string, or an array (of scalars, of strings, or of arrays). Strings keep
/// their exact UTF-8 bytes so a file rewrites byte for byte; <see cref="AsString"/> decodes them.
/// </summary>
public sealed class GgufValue
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    // A boxed scalar, byte[] (string), a typed primitive array, byte[][] (string array) or GgufValue[] (nested arrays).
    private readonly object _value;

    private GgufValue(GgufValueType type, GgufValueType elementType, object value)
    {
        Type = type;
        ElementType = elementType;
        _value = value;
    }

    /// <summary>The value's type.</summary>
    public GgufValueType Type { get; }

    /// <summary>For arrays, the element type; otherwise equal to <see cref="Type"/>.</summary>
    public GgufValueType ElementType { get; }

    /// <summary>Number of elements of an array (throws for non-arrays).</summary>
    public int ArrayLength => Type == GgufValueType.Array
        ? ((Array)_value).Length
        : throw new InvalidOperationException($"gguf: value of type {Type} is not an array");

    /// <summary>A scalar of the given numeric or boolean type.</summary>
    public static GgufValue FromScalar<T>(T value)
        where T : unmanaged => new(ScalarType(typeof(T)), ScalarType(typeof(T)), value);

    /// <summary>A string (stored as UTF-8).</summary>
    public static GgufValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(GgufValueType.String, GgufValueType.String, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>An array of numbers or booleans (the array is not copied).</summary>
    public static GgufValue FromArray<T>(T[] values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(GgufValueType.Array, ScalarType(typeof(T)), values);
    }

    /// <summary>An array of strings.</summary>
    public static GgufValue FromStrings(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(GgufValueType.Array, GgufValueType.String, values.Select(Encoding.UTF8.GetBytes).ToArray());
    }

    /// <summary>An array of arrays.</summary>
    public static GgufValue FromArrays(IEnumerable<GgufValue> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var items = arrays.ToArray();
        if (items.Any(a => a.Type != GgufValueType.Array))
        {
            throw new ArgumentException("every element of an array of arrays must itself be an array", nameof(arrays));
        }

        return new(GgufValueType.Array, GgufValueType.Array, items);
    }

    internal static GgufValue FromRawString(byte[] utf8) => new(GgufValueType.String, GgufValueType.String, utf8);

    internal static GgufValue FromRawStrings(byte[][] utf8) => new(GgufValueType.Array, GgufValueType.String, utf8);

    internal static GgufValue FromBoxedScalar(GgufValueType type, object value) => new(type, type, value);

    internal static GgufValue FromRawArray(GgufValueType elementType, Array values) => new(GgufValueType.Array, elementType, values);

    /// <summary>The decoded string (invalid UTF-8 becomes U+FFFD).</summary>
    public string AsString() => Type == GgufValueType.String
        ? Utf8.GetString((byte[])_value)
        : throw Mismatch("a string");

    /// <summary>The exact UTF-8 bytes of a string value.</summary>
    public ReadOnlySpan<byte> AsUtf8() => Type == GgufValueType.String ? (byte[])_value : throw Mismatch("a string");

    /// <summary>Any integer value widened to long (a UInt64 above long.MaxValue throws).</summary>
    public long AsInt64() => _value switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        long v => v,
        ulong v when v <= long.MaxValue => (long)v,
        _ => throw Mismatch("an integer that fits in 64 signed bits"),
    };

    /// <summary>Any integer value as int (throws when out of range).</summary>
    public int AsInt32()
    {
        long value = AsInt64();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Mismatch("an integer that fits in 32 bits");
    }

    /// <summary>A Float32 or Float64 value.</summary>
    public double AsDouble() => _value switch
    {
        float v => v,
        double v => v,
        _ => throw Mismatch("a float"),
    };

    /// <summary>A Bool value.</summary>
    public bool AsBool() => _value is bool v ? v : throw Mismatch("a bool");

    /// <summary>The elements of a numeric or boolean array, without copying.</summary>
    public IReadOnlyList<T> AsArray<T>()
        where T : unmanaged => _value as T[] ?? throw Mismatch($"an array of {typeof(T).Name}");

    /// <summary>The elements of a string array, decoded.</summary>
    public IReadOnlyList<string> AsStrings() => _value is byte[][] items
        ? [.. items.Select(i => Utf8.GetString(i))]
        : throw Mismatch("an array of strings");

    /// <summary>The exact UTF-8 bytes of each element of a string array.</summary>
    public IReadOnlyList<byte[]> AsUtf8Strings() => _value as byte[][] ?? throw Mismatch("an array of strings");

    /// <summary>The elements of an array of arrays.</summary>
    public IReadOnlyList<GgufValue> AsArrays() => _value as GgufValue[] ?? throw Mismatch("an array of arrays");

    /// <summary>The underlying object: boxed scalar, byte[] for strings, typed array, byte[][] or GgufValue[].</summary>
    internal object Raw => _value;

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        GgufValueType.String => AsString(),
        GgufValueType.Array => $"[{ElementType} × {ArrayLength}]",
        _ => Convert.ToString(_value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    internal static GgufValueType ScalarType(Type type) =>
        type == typeof(byte) ? GgufValueType.UInt8
        : type == typeof(sbyte) ? GgufValueType.Int8
        : type == typeof(ushort) ? GgufValueType.UInt16
        : type == typeof(short) ? GgufValueType.Int16
        : type == typeof(uint) ? GgufValueType.UInt32
        : type == typeof(int) ? GgufValueType.Int32
        : type == typeof(float) ? GgufValueType.Float32
        : type == typeof(bool) ? GgufValueType.Bool
        : type == typeof(ulong) ? GgufValueType.UInt64
        : type == typeof(long) ? GgufValueType.Int64
        : type == typeof(double) ? GgufValueType.Float64
        : throw new ArgumentException($"gguf: {type.Name} is not a GGUF scalar type");

    private InvalidOperationException Mismatch(string expected) =>
        new($"gguf: expected {expected}, found a value of type {(Type == GgufValueType.Array ? $"Array of {ElementType}" : Type.ToString())}");
}
