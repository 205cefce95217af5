using System.IO;
using FastPath.Cli;
using Xunit;

namespace FastPath.Tests.Cli;

public class CheckCommandTests
{
    internal static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Check_on_the_demo_cluster_prints_the_summary_and_exits_0()
    {
        var (exit, output, _) = Run("check", "--manifests", TestClusters.DemoPath);
        Assert.Equal(0, exit);
        Assert.Contains("namespaces: 3 (default, kube-system, shop)", output);
        Assert.Contains("services: 10 (ClusterIP 5, ExternalName 1, LoadBalancer 1, NodePort 1, headless 2)", output);
        Assert.Contains("endpoints: 17 (15 ready, 1 not ready, 1 terminating)", output);
        Assert.Contains("0 error(s), 0 warning(s)", output);
    }

    [Fact]
    public void Check_on_broken_manifests_prints_every_error_with_its_location_and_exits_1()
    {
        var dir = Directory.CreateTempSubdirectory("fastpath-check-").FullName;
        File.WriteAllText(Path.Combine(dir, "a.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: Bad}\nspec: {ports: [{port: 0}]}\n");
        File.WriteAllText(Path.Combine(dir, "b.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: [\n");
        var (exit, output, _) = Run("check", "--manifests", dir);
        Assert.Equal(1, exit);
        Assert.Contains(Path.Combine(dir, "a.yaml") + "(3,18): error FP0006:", output);
        Assert.Contains(Path.Combine(dir, "a.yaml") + "(4,23): error FP0012:", output);
        Assert.Contains(Path.Combine(dir, "b.yaml") + "(4,1): error FP0001:", output);
        Assert.Contains("3 error(s)", output);
    }

    [Fact]
    public void Unknown_options_and_missing_inputs_are_usage_errors()
    {
        Assert.Equal(1, Run("check", "--manifests", TestClusters.DemoPath, "--bogus", "x").Exit);
        var (exit, output, _) = Run("check", "--manifests", "/nonexistent/dir");
        Assert.Equal(1, exit);
        Assert.Contains("error FP0008: no such file or directory: /nonexistent/dir", output);
    }
}
