using System;
using System.Collections.Generic;
using System.Net;
using FastPath.Model.Loading;
using k8s;

namespace FastPath.Kubernetes;

/// <summary>Which pods to watch: as the Corefile needs (<c>pods verified</c>), always, or never.</summary>
public enum PodWatch { Corefile, Always, Never }

/// <summary>How FastPath follows a Kubernetes API server.</summary>
public sealed class FastPathKubernetesOptions
{
    /// <summary>A kubeconfig file; null uses <c>$KUBECONFIG</c> or <c>~/.kube/config</c> (or the in-cluster account when running in a Pod).</summary>
    public string? KubeconfigPath { get; set; }
    /// <summary>The kubeconfig context to use; null uses the file's current-context.</summary>
    public string? Context { get; set; }
    /// <summary>Use the Pod's service account (<c>KUBERNETES_SERVICE_HOST</c>, the mounted token and CA).</summary>
    public bool InCluster { get; set; }
    /// <summary>A ready client configuration; wins over <see cref="KubeconfigPath"/> and <see cref="InCluster"/>.</summary>
    public KubernetesClientConfiguration? Configuration { get; set; }

    /// <summary>Namespaces to watch; empty watches every namespace (an app that needs a few Services names their namespaces).</summary>
    public IList<string> Namespaces { get; } = new List<string>();
    /// <summary>A label selector (<c>app=shop,tier!=cache</c>) for Services and EndpointSlices (the EndpointSlice controller copies a Service's labels to its slices).</summary>
    public string? LabelSelector { get; set; }
    /// <summary>Whether Pods are watched; by default only when the Corefile's kubernetes plugin says <c>pods verified</c>.</summary>
    public PodWatch Pods { get; set; } = PodWatch.Corefile;
    /// <summary>Watch Nodes, for topology-aware routing (a node's zone decides which hinted endpoints it uses). DNS never needs them.</summary>
    public bool WatchNodes { get; set; }

    /// <summary>How objects are loaded. A Corefile given here (<see cref="LoadOptions.CorefileText"/>) replaces the <c>kube-system/coredns</c> ConfigMap, which is then not watched.</summary>
    public LoadOptions Load { get; set; } = new();
    /// <summary>The DNS server's own addresses; null means the ready endpoints of <c>kube-system/kube-dns</c>.</summary>
    public IReadOnlyList<IPAddress>? DnsIps { get; set; }
    /// <summary>How long a burst of watch events is gathered into one snapshot.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The first wait before reconnecting after a failure; doubles up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(800);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>A watch that sends nothing (no event, no bookmark) for this long is abandoned and restarted.</summary>
    public TimeSpan WatchIdleTimeout { get; set; } = TimeSpan.FromMinutes(3);
    /// <summary>Asks the API server to end each watch after about this long (with jitter), as client-go's reflector does.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Page size of a list (0: one response).</summary>
    public int ListPageSize { get; set; } = 500;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (InCluster && KubeconfigPath is not null) throw new ArgumentException("InCluster and KubeconfigPath are exclusive: choose one");
        if (Debounce < TimeSpan.Zero) throw new ArgumentException("Debounce must not be negative");
        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff) throw new ArgumentException("InitialBackoff must be positive and at most MaxBackoff");
        if (WatchIdleTimeout <= TimeSpan.Zero) throw new ArgumentException("WatchIdleTimeout must be positive");
        if (WatchTimeout < TimeSpan.FromSeconds(1)) throw new ArgumentException("WatchTimeout must be at least one second");
        if (ListPageSize < 0) throw new ArgumentException("ListPageSize must not be negative");
        foreach (var ns in Namespaces)
            if (!Model.Net.DnsNames.IsDns1123Label(ns)) throw new ArgumentException($"Namespaces: '{ns}' is not a namespace name (a DNS-1123 label)");
    }
}
