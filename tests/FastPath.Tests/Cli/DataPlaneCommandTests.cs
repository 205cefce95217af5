using System.Text.Json;
using Xunit;
using static FastPath.Tests.Cli.CheckCommandTests;

namespace FastPath.Tests.Cli;

public class DataPlaneCommandTests
{
    [Fact]
    public void Endpoints_json_on_the_demo_cluster()
    {
        var (exit, output, _) = Run("endpoints", "shop/frontend", "--node", "node-a", "--external", "--json", "--manifests", TestClusters.DemoPath);
        Assert.Equal(0, exit);
        var doc = JsonDocument.Parse(output).RootElement;
        Assert.Equal("shop/frontend", doc.GetProperty("service").GetString());
        Assert.Equal("external", doc.GetProperty("source").GetString());
        Assert.Equal("forward", doc.GetProperty("action").GetString());
        Assert.Equal("[\"10.244.1.20:8080\"]", doc.GetProperty("endpoints").GetRawText());
        var (_, dropped, _) = Run("endpoints", "shop/frontend", "--node", "node-b", "--external", "--json", "--manifests", TestClusters.DemoPath);
        Assert.Equal("drop", JsonDocument.Parse(dropped).RootElement.GetProperty("action").GetString());
    }

    [Fact]
    public void Select_shows_affinity_and_its_expiry()
    {
        var (exit, output, _) = Run("select", "shop/cart", "--client", "10.1.2.3", "--count", "3", "--advance", "3601", "--manifests", TestClusters.DemoPath);
        Assert.Equal(0, exit);
        var lines = output.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.DoesNotContain("(affinity)", lines[2]); // a full timeout passed: a new choice
        var (_, sticky, _) = Run("select", "shop/cart", "--client", "10.1.2.3", "--count", "3", "--advance", "60", "--manifests", TestClusters.DemoPath);
        Assert.EndsWith("(affinity)", sticky.Trim().Split('\n')[3].TrimEnd());
    }

    [Fact]
    public void Env_prints_key_value_lines()
    {
        var (exit, output, _) = Run("env", "default", "--manifests", TestClusters.DemoPath);
        Assert.Equal(0, exit);
        Assert.Contains("MY_SERVICE_SERVICE_HOST=10.100.200.1\n", output);
        Assert.Contains("MY_SERVICE_PORT_80_TCP=tcp://10.100.200.1:80\n", output);
        Assert.DoesNotContain("MY_DB_", output); // headless
        Assert.DoesNotContain("MY_EXTERNAL_SERVICE_", output);
    }

    [Theory]
    [InlineData("endpoints", "nope/nope")]
    [InlineData("endpoints", "default/my-service")]
    [InlineData("endpoints", "default/my-service", "--port", "999")]
    [InlineData("select", "shop/cart")]
    [InlineData("select", "shop/cart", "--client", "10.1.2.3", "--count", "0")]
    [InlineData("env")]
    public void Usage_errors_exit_1(params string[] args)
    {
        var (exit, _, err) = Run([.. args, "--manifests", TestClusters.DemoPath]);
        Assert.Equal(1, exit);
        Assert.Contains("fastpath " + args[0] + ":", err);
    }
}
