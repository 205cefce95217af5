namespace FastPath.Model.Corefile.Plugins;

/// <summary>The typed options of the plugins one server block enables; null where a plugin is absent.</summary>
public sealed record PluginSet
{
    public KubernetesOptions? Kubernetes { get; init; }
    public ForwardOptions? Forward { get; init; }
    public CacheOptions? Cache { get; init; }
    public LoadBalanceOptions? LoadBalance { get; init; }
    public RewriteOptions? Rewrite { get; init; }
    public AutopathOptions? Autopath { get; init; }
    public HostsOptions? Hosts { get; init; }
    public LogOptions? Log { get; init; }
    public ErrorsOptions? Errors { get; init; }
    public HttpEndpointOptions? Health { get; init; }
    public HttpEndpointOptions? Ready { get; init; }
    public HttpEndpointOptions? Prometheus { get; init; }
    public bool Loop { get; init; }
    public ReloadOptions? Reload { get; init; }
    public BindOptions? Bind { get; init; }
}
