using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Primitives;

namespace FastPath.Live;

/// <summary>
/// Where the current <see cref="ClusterSnapshot"/> comes from: a cluster compiled at build time, manifests, or the
/// API server's watch stream. Integrations (service discovery, YARP, gRPC, HttpClient, the DNS server) read
/// <see cref="Current"/> on every request and re-read it when the change token fires.
/// </summary>
public interface IClusterSnapshotSource
{
    /// <summary>The newest snapshot; null until the first full sync (never answer NXDOMAIN from an empty cluster).</summary>
    ClusterSnapshot? Current { get; }

    /// <summary>True once a complete state has been published.</summary>
    bool IsSynced { get; }

    /// <summary>Completes when the first snapshot is published.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken = default);

    /// <summary>Fires once, when the next snapshot is published (the .NET convention; take a new token after it fires).</summary>
    IChangeToken GetChangeToken();

    /// <summary>Raised after each publish, on the publishing thread.</summary>
    event EventHandler<SnapshotChangedEventArgs>? SnapshotChanged;
}

/// <summary>A publish: the snapshot before (null for the first), the new one, and what changed.</summary>
public sealed class SnapshotChangedEventArgs(ClusterSnapshot? previous, ClusterSnapshot current, SnapshotChange change) : EventArgs
{
    public ClusterSnapshot? Previous { get; } = previous;
    public ClusterSnapshot Current { get; } = current;
    public SnapshotChange Change { get; } = change;
}
