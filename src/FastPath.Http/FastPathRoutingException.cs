using System;

namespace FastPath.Http;

/// <summary>Why FastPath.Http opened no connection.</summary>
public enum FastPathRoutingFailure
{
    /// <summary>The source has published no snapshot within <see cref="FastPathHttpOptions.SyncTimeout"/>.</summary>
    NotSynced,
    /// <summary>The host names no Service of the cluster (and <see cref="FastPathHttpOptions.FallbackToDns"/> is off).</summary>
    UnknownService,
    /// <summary>The Service has no port of that number or name.</summary>
    UnknownPort,
    /// <summary>kube-proxy would reject: no ready (or serving-terminating) endpoint anywhere.</summary>
    NoEndpoints,
    /// <summary>kube-proxy would drop: internalTrafficPolicy Local and no endpoint on this node.</summary>
    NoLocalEndpoints,
    /// <summary>Headless or ExternalName: kube-proxy does not proxy the Service.</summary>
    NotProxied,
}

/// <summary>
/// The reason a connection was not opened. SocketsHttpHandler wraps it: callers see an
/// <see cref="System.Net.Http.HttpRequestException"/> (HttpRequestError.ConnectionError) whose InnerException is this.
/// </summary>
public sealed class FastPathRoutingException : Exception
{
    public FastPathRoutingException(FastPathRoutingFailure failure, string target, string message) : base(message)
    {
        Failure = failure;
        Target = target;
    }

    public FastPathRoutingFailure Failure { get; }
    /// <summary>The host and port the request named ("cart.shop:80").</summary>
    public string Target { get; }
}
