using System;
using FastPath.Live;
using FastPath.Benchmarks;
using Xunit;

namespace FastPath.Http.Tests;

/// <summary>Builds snapshots of inline manifests and publishes them, as a live source would.</summary>
public sealed class Snapshots
{
    private long _version;

    public SnapshotPublisher Source { get; } = new();
    public TimeProvider? Time { get; init; }

    public ClusterSnapshot Publish(string yaml)
    {
        var result = LoopbackEndpoints.Load(yaml);
        Assert.True(result.Cluster is not null, string.Join("\n", result.Diagnostics));
        var snapshot = ClusterSnapshot.Build(result.Cluster!, version: ++_version, time: Time);
        // Affinity expiry runs on the test's clock.
        if (Time is not null) snapshot.DataPlane.Configure(Time);
        Source.Publish(snapshot, SnapshotChange.Everything);
        return snapshot;
    }
}
