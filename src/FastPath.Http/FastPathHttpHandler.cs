using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Diagnostics;
using FastPath.Live;
using Microsoft.Extensions.Logging;

namespace FastPath.Http;

/// <summary>
/// HttpClient on FastPath without dependency injection: a <see cref="SocketsHttpHandler"/> (or just its connect
/// callback) whose every new connection to a Service goes to the endpoint kube-proxy would choose.
/// </summary>
public static class FastPathHttpHandler
{
    /// <summary>A handler whose ConnectCallback routes by <paramref name="source"/>'s current snapshot.</summary>
    public static SocketsHttpHandler Create(IClusterSnapshotSource source, FastPathHttpOptions? options = null,
        ILoggerFactory? loggerFactory = null, FastPathMetrics? metrics = null, TimeProvider? time = null) =>
        new() { ConnectCallback = ConnectCallback(source, options, loggerFactory, metrics, time) };

    /// <summary>The callback alone, for a SocketsHttpHandler configured elsewhere.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(IClusterSnapshotSource source,
        FastPathHttpOptions? options = null, ILoggerFactory? loggerFactory = null, FastPathMetrics? metrics = null, TimeProvider? time = null)
    {
        var connector = new FastPathConnector(source, options ?? new FastPathHttpOptions(), metrics,
            loggerFactory?.CreateLogger("FastPath.Http"), time);
        return connector.ConnectAsync;
    }
}
