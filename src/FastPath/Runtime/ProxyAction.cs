namespace FastPath.Runtime;

/// <summary>What kube-proxy programs for a service port and traffic source.</summary>
public enum ProxyAction
{
    /// <summary>Connections are load-balanced over the eligible endpoints.</summary>
    Forward,
    /// <summary>No usable endpoint anywhere: the filter table REJECTs (connection refused).</summary>
    Reject,
    /// <summary>A Local policy with no local endpoint: packets are DROPped silently.</summary>
    Drop,
    /// <summary>Headless and ExternalName services are not proxied at all.</summary>
    NotProxied,
}
