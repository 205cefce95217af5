using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace FastPath.Kubernetes.Tests.Container;

/// <summary>
/// The container image as a user builds it (<c>dotnet publish src/FastPath.Cli /t:PublishContainer</c>, the SDK's own
/// tooling, no Dockerfile), written to an OCI archive on top of a base image pulled from <see cref="LocalRegistry"/>:
/// the image the install manifests name (same tag), their ports exposed, the default command they rely on, the
/// non-root user, and the app on top of the base's layer.
/// </summary>
public sealed class ContainerImageTests
{
    [Fact]
    public async Task Publish_container_builds_the_image_the_install_manifests_run()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var dir = Directory.CreateTempSubdirectory("fastpath-image-");
        try
        {
            string archive = Path.Combine(dir.FullName, "fastpath.tar.gz");
            var (exit, output) = await PublishAsync(dir.FullName, archive, registry.Image("dotnet/runtime", "10.0-noble-chiseled"));
            Assert.True(exit == 0, "dotnet publish /t:PublishContainer failed:\n" + output);
            Assert.Contains("GET /v2/dotnet/runtime/manifests/10.0-noble-chiseled", registry.Requests);

            var image = OciArchive.Read(archive);
            // The tag the Deployment and the DaemonSet pull, and latest.
            var tags = InstallImageTags();
            Assert.NotEmpty(tags);
            foreach (var tag in tags) Assert.Contains(tag, image.Tags);
            Assert.Contains("latest", image.Tags);

            var config = image.Config.GetProperty("config");
            Assert.Equal(["serve", "--in-cluster"], Strings(config.GetProperty("Cmd")));
            Assert.Equal("/app/FastPath.Cli.dll", Strings(config.GetProperty("Entrypoint")).Last());
            Assert.Equal("app", config.GetProperty("User").GetString());
            var exposed = config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).ToHashSet();
            foreach (var port in InstallPorts()) Assert.Contains(port, exposed);

            Assert.Equal(registry.BaseLayerDigest, image.Layers[0]);
            Assert.Equal(2, image.Layers.Count);
            var app = image.LayerEntries(image.Layers[1]);
            Assert.Contains("app/FastPath.Cli.dll", app);
            Assert.Contains("app/FastPath.Kubernetes.dll", app); // serve --in-cluster needs the watcher
        }
        finally { dir.Delete(recursive: true); }
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>The tags of every fastpath image the install manifests name.</summary>
    private static List<string> InstallImageTags() =>
        InstallYaml().SelectMany(text => Regex.Matches(text, @"image:\s*\S*fastpath/fastpath:(\S+)").Select(m => m.Groups[1].Value)).Distinct().ToList();

    /// <summary>Every containerPort and probe port of the install manifests, as "port/protocol".</summary>
    private static List<string> InstallPorts()
    {
        var ports = new List<string>();
        foreach (var text in InstallYaml())
        {
            foreach (Match m in Regex.Matches(text, @"containerPort:\s*(\d+),\s*protocol:\s*(\w+)"))
                ports.Add(m.Groups[1].Value + "/" + m.Groups[2].Value.ToLowerInvariant());
            foreach (Match m in Regex.Matches(text, @"httpGet:\s*\{[^}]*port:\s*(\d+)"))
                ports.Add(m.Groups[1].Value + "/tcp");
        }
        // The DaemonSet serves on the node's address at 53 (host network): the image's own port is the Deployment's.
        return ports.Where(p => !p.StartsWith("53/", StringComparison.Ordinal)).Distinct().ToList();
    }

    private static IEnumerable<string> InstallYaml() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "install"), "*.yaml", SearchOption.AllDirectories).Select(File.ReadAllText);

    /// <summary>
    /// Publishes the CLI the test run already built (<c>--no-build</c>, the same configuration) into a temporary
    /// folder, then the SDK layers it onto <paramref name="baseImage"/> and writes the archive.
    /// </summary>
    private static async Task<(int Exit, string Output)> PublishAsync(string work, string archive, string baseImage)
    {
        // bin/<Configuration>/<tfm>/ of this test assembly: the CLI was built alongside it in that configuration.
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
        var project = Path.Combine(RepoRoot(), "src", "FastPath.Cli", "FastPath.Cli.csproj");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var psi = new ProcessStartInfo(dotnet, ["publish", project, "-c", configuration, "--no-build", "--disable-build-servers", "-nodeReuse:false",
            "-t:PublishContainer", "-p:PublishDir=" + Path.Combine(work, "publish") + Path.DirectorySeparatorChar,
            "-p:ContainerBaseImage=" + baseImage, "-p:ContainerArchiveOutputPath=" + archive])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        // The registry speaks plain HTTP, as a local registry does: say so rather than have the SDK try TLS first.
        psi.Environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = baseImage[..baseImage.IndexOf('/')];
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(5));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish /t:PublishContainer did not finish in 5 minutes:\n" + await stdout);
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "FastPath.sln"))) return d.FullName;
        throw new InvalidOperationException("FastPath.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>An OCI image layout in a tar, as the SDK writes with ContainerArchiveOutputPath.</summary>
    private sealed record OciArchive(Dictionary<string, byte[]> Files, List<string> Tags, JsonElement Config, List<string> Layers)
    {
        public static OciArchive Read(string path)
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            // The SDK writes a plain tar whatever the name says (docker load takes either): look at the magic bytes.
            var bytes = File.ReadAllBytes(path);
            Stream stream = bytes is [0x1f, 0x8b, ..] ? new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress) : new MemoryStream(bytes);
            using (var tar = new TarReader(stream))
                while (tar.GetNextEntry() is { } entry)
                    if (entry.DataStream is { } data) { var m = new MemoryStream(); data.CopyTo(m); files[entry.Name.TrimStart('.', '/')] = m.ToArray(); }
            var index = JsonDocument.Parse(files["index.json"]).RootElement;
            var tags = new List<string>();
            JsonElement? manifest = null;
            foreach (var m in index.GetProperty("manifests").EnumerateArray())
            {
                if (m.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out var tag)) tags.Add(tag.GetString()!);
                manifest ??= JsonDocument.Parse(Blob(files, m.GetProperty("digest").GetString()!)).RootElement;
            }
            var config = JsonDocument.Parse(Blob(files, manifest!.Value.GetProperty("config").GetProperty("digest").GetString()!)).RootElement;
            var layers = manifest.Value.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
            return new OciArchive(files, tags, config, layers);
        }

        private static byte[] Blob(Dictionary<string, byte[]> files, string digest) => files["blobs/" + digest.Replace(':', '/')];

        public HashSet<string> LayerEntries(string digest)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            using var gzip = new GZipStream(new MemoryStream(Blob(Files, digest)), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry) names.Add(entry.Name.TrimStart('.', '/'));
            return names;
        }
    }
}
