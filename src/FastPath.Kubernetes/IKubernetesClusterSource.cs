using System;
using FastPath.Live;

namespace FastPath.Kubernetes;

/// <summary>
/// Snapshots that follow a Kubernetes API server. <see cref="IClusterSnapshotSource.Current"/> is null until every
/// watched resource has been listed once; during an API outage the last good snapshot keeps serving and
/// <see cref="IsStale"/> says so.
/// </summary>
public interface IKubernetesClusterSource : IClusterSnapshotSource
{
    /// <summary>True while some watched resource is not current (its watch broke and it has not been listed again).</summary>
    bool IsStale { get; }
    /// <summary>The last moment every watched resource was known current: now while in sync, the moment the first watch broke while stale, null before the first sync.</summary>
    DateTimeOffset? LastSyncedAt { get; }
}
