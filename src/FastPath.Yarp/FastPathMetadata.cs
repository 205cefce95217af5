namespace FastPath.Yarp;

/// <summary>Metadata keys FastPath writes on the clusters and destinations it generates (documented in README).</summary>
public static class FastPathMetadata
{
    public const string Namespace = "fastpath.namespace";
    public const string Service = "fastpath.service";
    public const string Port = "fastpath.port";
    public const string ClusterIP = "fastpath.clusterIP";
    /// <summary>The Service's ClientIP timeout in seconds; absent without <c>sessionAffinity: ClientIP</c>.</summary>
    public const string AffinityTimeoutSeconds = "fastpath.affinityTimeoutSeconds";
    /// <summary>Why the cluster has no eligible destination (unknown Service or port, no ready endpoint): YARP answers 503.</summary>
    public const string Reason = "fastpath.reason";
    /// <summary>With <see cref="Reason"/>: its <c>fastpath.miss.reason</c> metric tag (unknown_service, unknown_port, no_endpoints, …).</summary>
    public const string MissReason = "fastpath.missReason";
    public const string SnapshotVersion = "fastpath.snapshotVersion";
    /// <summary>On a destination: "true" when kube-proxy would send this node's traffic to it.</summary>
    public const string Eligible = "fastpath.eligible";
    /// <summary>On a destination: the EndpointSlice conditions (when the snapshot carries its model).</summary>
    public const string Ready = "fastpath.ready", Serving = "fastpath.serving", Terminating = "fastpath.terminating";
}
