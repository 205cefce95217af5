using System.IO;
using FastPath.Live;
using FastPath.Model.Corefile;

namespace FastPath.Cli.Commands;

/// <summary>
/// The Native AOT build's stand-in for ServeCommand.Kubernetes.cs: the API server's watch needs KubernetesClient,
/// which is not trim- or AOT-safe, so that build serves manifests only and refuses the live-cluster options plainly.
/// </summary>
internal static partial class ServeCommand
{
    static partial void CreateKubernetesSource(CliArgs args, TextWriter @out, TextWriter err, ref IClusterSnapshotSource? source, ref CorefileConfig? corefile)
    {
        if (args.Option("--kubeconfig") is not null || args.Flag("--in-cluster"))
            throw new UsageException("--kubeconfig and --in-cluster need the JIT build of fastpath (dotnet FastPath.Cli.dll or the container image): the Kubernetes client it watches the API server with cannot run under Native AOT");
    }
}
