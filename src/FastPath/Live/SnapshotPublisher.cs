using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Primitives;

namespace FastPath.Live;

/// <summary>
/// Holds the current snapshot and tells subscribers of each new one. Publishing is serialised by the caller (one
/// writer: the watch loop, a reload, a test); readers never lock.
/// </summary>
public sealed class SnapshotPublisher : IClusterSnapshotSource
{
    private volatile ClusterSnapshot? _current;
    private CancellationTokenSource _changed = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SnapshotPublisher() { }

    /// <summary>A source that already holds <paramref name="initial"/> (a cluster compiled at build time, manifests).</summary>
    public SnapshotPublisher(ClusterSnapshot initial) => Publish(initial, SnapshotChange.Everything);

    public ClusterSnapshot? Current => _current;
    public bool IsSynced => _synced.Task.IsCompleted;
    public event EventHandler<SnapshotChangedEventArgs>? SnapshotChanged;

    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    /// <summary>Makes <paramref name="snapshot"/> current, then fires the change token and the event.</summary>
    public void Publish(ClusterSnapshot snapshot, SnapshotChange change)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var previous = _current;
        _current = snapshot;
        _synced.TrySetResult();
        var fired = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        fired.Cancel();
        fired.Dispose();
        SnapshotChanged?.Invoke(this, new SnapshotChangedEventArgs(previous, snapshot, change));
    }
}
