using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FastPath.Live;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastPath.Http.Tests;

/// <summary>The README's FastPath.Http example, run as written; a second test keeps the two texts the same.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task Readme_example_runs_against_a_real_backend()
    {
        await using var backend = await Backend.StartAsync("a");
        var cluster = Snapshots.Load(CartCluster.Yaml([new(backend, Node: "node-a")]));
        // README example begin
        var services = new ServiceCollection();
        services.AddSingleton<IClusterSnapshotSource>(new SnapshotPublisher(ClusterSnapshot.Build(cluster)));   // or a LiveCluster
        services.AddHttpClient("cart", c => c.BaseAddress = new Uri("http://cart.shop"))
            .AddFastPath(o =>
            {
                o.ClientAddress = IPAddress.Parse("10.244.1.7");   // this pod's IP: the ClientIP affinity key (default: $POD_IP)
                o.NodeName = "node-a";                             // its node: Local policies and topology (default: $NODE_NAME)
            });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("cart");
        string reply = await client.GetStringAsync("/");
        // README example end
        Assert.Equal("a HTTP/1.1", reply);
    }

    [Fact]
    public void Readme_example_is_the_code_this_test_runs()
    {
        var readme = File.ReadAllLines(Path.Combine(RepoRoot(), "README.md"));
        int marker = Array.FindIndex(readme, l => l.StartsWith("<!-- example: FastPath.Http", StringComparison.Ordinal));
        Assert.True(marker >= 0, "README.md has no FastPath.Http example marker");
        var example = readme.Skip(marker + 2).TakeWhile(l => l != "```").Select(l => l.Trim()).ToList();
        var test = File.ReadAllLines(Path.Combine(RepoRoot(), "tests", "FastPath.Http.Tests", "ReadmeExampleTests.cs"))
            .SkipWhile(l => !l.Contains("// README example begin", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.Contains("// README example end", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.NotEmpty(example);
        Assert.Equal(example, test);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FastPath.sln"))) return dir.FullName;
        throw new InvalidOperationException("FastPath.sln not found above " + AppContext.BaseDirectory);
    }
}
