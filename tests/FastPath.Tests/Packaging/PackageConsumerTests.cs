using System;
using System.Diagnostics;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace FastPath.Tests.Packaging;

/// <summary>
/// Packs FastPath, then builds and runs a consumer project that has one PackageReference and the demo manifests as
/// AdditionalFiles: the test that catches a DLL missing from the analyzer folder (CS8785) or a broken dependency.
/// </summary>
public class PackageConsumerTests(ITestOutputHelper output)
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FastPath.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("FastPath.sln not found above the test folder");
    }

    private (int Exit, string Output) Dotnet(string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", args) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var all = stdout + stderr.Result;
        if (p.ExitCode != 0) output.WriteLine(all);
        return (p.ExitCode, all);
    }

    [Fact]
    public void A_consumer_with_one_package_reference_builds_and_resolves_through_generated_code()
    {
        var root = RepoRoot();
        var work = Directory.CreateTempSubdirectory("fastpath-consumer-").FullName;
        var feed = Path.Combine(work, "feed");
        var version = "1.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var project in new[] { "src/FastPath.Model/FastPath.Model.csproj", "src/FastPath/FastPath.csproj" })
            Assert.Equal(0, Dotnet(root, "pack", Path.Combine(root, project), "-c", "Release", "-o", feed, "-p:Version=" + version).Exit);

        var app = Path.Combine(work, "app");
        Directory.CreateDirectory(Path.Combine(app, "manifests", "demo"));
        foreach (var f in Directory.GetFiles(Path.Combine(root, "manifests", "demo")))
            File.Copy(f, Path.Combine(app, "manifests", "demo", Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="fastpath-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="FastPath" Version="{version}" />
                <AdditionalFiles Include="manifests/demo/*.yaml" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System;
            using System.Net;
            using FastPath;
            using FastPath.Dns;
            using FastPath.Reference.Dns;

            var answer = Demo.Dns.Resolve(new DnsQuery("my-service.default.svc.cluster.local", DnsType.A)).Response.Answer[0];
            Console.WriteLine("dns " + answer);
            Console.WriteLine("select " + Demo.Shop.Cart.Grpc.Select(IPAddress.Parse("10.1.2.3"), "node-a").Endpoint);
            Console.WriteLine("env " + Demo.Environment("default").Count);

            [FastPathCluster("manifests/demo")]
            static partial class Demo;
            """);
        // An empty Directory.Build.props/Directory.Packages.props stops MSBuild from picking up any above the temp folder.
        File.WriteAllText(Path.Combine(work, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(work, "Directory.Packages.props"), "<Project />");

        var (exit, text) = Dotnet(app, "run", "-c", "Release");
        Assert.True(exit == 0, text);
        Assert.Contains("dns my-service.default.svc.cluster.local.\t30\tIN\tA\t10.100.200.1", text);
        Assert.Matches(@"select 10\.244\.\d+\.4\d:50051", text);
        var demo = FastPath.Model.Loading.ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!;
        Assert.Contains("env " + FastPath.Reference.DataPlane.ServiceEnvironment.For(demo, "default").Count, text);
    }
}
