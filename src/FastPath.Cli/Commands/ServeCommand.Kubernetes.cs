using System;
using System.IO;
using System.Threading;
using FastPath.Live;
using FastPath.Model.Corefile;

namespace FastPath.Cli.Commands;

/// <summary><c>serve --kubeconfig FILE</c> / <c>--in-cluster</c>: the API server's watch as the server's snapshot source.</summary>
internal static partial class ServeCommand
{
    static partial void CreateKubernetesSource(CliArgs args, TextWriter @out, TextWriter err, ref IClusterSnapshotSource? source, ref CorefileConfig? corefile)
    {
        var kubernetes = KubernetesSource.Parse(args, err);
        if (kubernetes is null) return;
        var cluster = kubernetes.CorefileCluster(err);
        if (cluster is null)
        {
            kubernetes.Dispose();
            throw new UsageException("the Corefile has errors (above)");
        }
        corefile = cluster.Corefile;
        source = new DisposingSource(kubernetes.Start(@out), kubernetes);
    }

    /// <summary>The watch's snapshots, with the watch stopped when serve disposes its source.</summary>
    private sealed class DisposingSource(IClusterSnapshotSource inner, IDisposable owner) : IClusterSnapshotSource, IDisposable
    {
        public ClusterSnapshot? Current => inner.Current;
        public bool IsSynced => inner.IsSynced;
        public System.Threading.Tasks.Task WaitForSyncAsync(CancellationToken cancellationToken = default) => inner.WaitForSyncAsync(cancellationToken);
        public Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => inner.GetChangeToken();
        public event EventHandler<SnapshotChangedEventArgs>? SnapshotChanged
        {
            add => inner.SnapshotChanged += value;
            remove => inner.SnapshotChanged -= value;
        }
        public void Dispose() => owner.Dispose();
    }
}
