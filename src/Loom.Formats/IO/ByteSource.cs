namespace Loom.Formats.IO;

/// <summary>
/// Read-only bytes of a whole model file, either a managed buffer or a memory-mapped file. Spans handed out
/// stay valid until the source is disposed.
/// </summary>
internal abstract class ByteSource : IDisposable
{
    /// <summary>Total number of bytes.</summary>
    public abstract long Length { get; }

    /// <summary>A view of <paramref name="length"/> bytes at <paramref name="offset"/>; the caller has checked the range.</summary>
    public abstract ReadOnlySpan<byte> Slice(long offset, int length);

    /// <summary>Where the bytes came from, for error messages.</summary>
    public abstract string Description { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Opens a file memory-mapped (read-only); an empty file becomes an empty in-memory source.</summary>
    public static ByteSource OpenFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"model file not found: {path}", path);
        }

        return info.Length == 0 ? new MemoryByteSource(ReadOnlyMemory<byte>.Empty, path) : new MappedFileByteSource(path);
    }

    /// <summary>Reads a stream to its end into memory, refusing more than <paramref name="maxBytes"/> bytes.</summary>
    public static ByteSource ReadStream(Stream stream, long maxBytes, string format)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining > maxBytes)
            {
                throw new ModelFormatException(format, $"stream holds {remaining} bytes, more than the in-memory limit of {maxBytes}; open the file by path to memory-map it");
            }

            var buffer = new byte[remaining];
            stream.ReadExactly(buffer);
            return new MemoryByteSource(buffer, "stream");
        }

        using var copy = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (copy.Length + read > maxBytes)
            {
                throw new ModelFormatException(format, $"stream is longer than the in-memory limit of {maxBytes} bytes");
            }

            copy.Write(chunk, 0, read);
        }

        return new MemoryByteSource(copy.ToArray(), "stream");
    }
}
