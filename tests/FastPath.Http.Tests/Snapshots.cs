using System;
using System.Linq;
using FastPath.Model;
using FastPath.Model.Loading;
using FastPath.Live;
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
        var cluster = Load(yaml);
        var snapshot = ClusterSnapshot.Build(cluster, version: ++_version, time: Time);
        // Affinity expiry runs on the test's clock.
        if (Time is not null) snapshot.DataPlane.Configure(Time);
        Source.Publish(snapshot, SnapshotChange.Everything);
        return snapshot;
    }

    /// <summary>Loads manifests whose endpoints are on 127.0.0.1: FP0066 (the API server would refuse them) is the only diagnostic allowed.</summary>
    public static Cluster Load(string yaml)
    {
        var result = ClusterLoader.LoadTexts([new ManifestText("cluster.yaml", yaml)]);
        Assert.True(result.Cluster is not null && result.Diagnostics.All(d => d.Id == "FP0066"), string.Join("\n", result.Diagnostics));
        return result.Cluster!;
    }
}
