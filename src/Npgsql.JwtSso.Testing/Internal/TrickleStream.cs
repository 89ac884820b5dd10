namespace Npgsql.JwtSso.Testing.Internal;

/// <summary>A write-only response body that sends the first chunk at once and each later chunk after a pause.</summary>
internal sealed class TrickleStream(Stream inner, int chunkSize, TimeSpan pause, CancellationToken aborted) : Stream
{
    private bool _started;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
        for (var offset = 0; offset < buffer.Length; offset += chunkSize)
        {
            if (_started)
            {
                await Task.Delay(pause, linked.Token).ConfigureAwait(false);
            }

            _started = true;
            var chunk = buffer.Slice(offset, Math.Min(chunkSize, buffer.Length - offset));
            await inner.WriteAsync(chunk, linked.Token).ConfigureAwait(false);
            await inner.FlushAsync(linked.Token).ConfigureAwait(false);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
