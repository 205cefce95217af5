using System.Linq;
using FastPath.Model;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;
using Xunit;

namespace FastPath.Tests;

/// <summary>Loads small clusters written inline, the way each test states the smallest input that shows its point.</summary>
internal static class TestClusters
{
    public static LoadResult LoadResult(string yaml, string? corefile = null, string? serviceCidr = null, string path = "test.yaml") =>
        ClusterLoader.LoadTexts([new ManifestText(path, yaml)], new LoadOptions { CorefileText = corefile, ServiceCidr = serviceCidr });

    public static Cluster Load(string yaml, string? corefile = null, string? serviceCidr = null)
    {
        var r = LoadResult(yaml, corefile, serviceCidr);
        Assert.True(r.Cluster is not null, "expected a clean load, got:\n" + string.Join("\n", r.Diagnostics));
        return r.Cluster!;
    }

    /// <summary>The single error the input must produce.</summary>
    public static Diagnostic SingleError(string yaml, string? corefile = null, string? serviceCidr = null)
    {
        var r = LoadResult(yaml, corefile, serviceCidr);
        Assert.Null(r.Cluster);
        var errors = r.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 1, "expected one error, got:\n" + string.Join("\n", r.Diagnostics));
        return errors[0];
    }

    public static string DemoPath => System.IO.Path.Combine(System.AppContext.BaseDirectory, "manifests", "demo");
}
