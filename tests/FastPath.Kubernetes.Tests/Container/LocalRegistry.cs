using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastPath.Kubernetes.Tests.Container;

/// <summary>
/// A container registry on 127.0.0.1 (random port) that speaks the read side of the OCI distribution API (<c>/v2/</c>,
/// manifests and blobs by digest) for one small base image: the SDK's container tooling pulls it as it would pull
/// mcr.microsoft.com's runtime image, which this machine cannot reach. The base is one layer holding
/// <c>/etc/passwd</c> with the <c>app</c> user the chiseled images have.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private WebApplication? _app;
    private readonly Dictionary<string, (string MediaType, byte[] Content)> _blobs = new(StringComparer.Ordinal);
    private readonly byte[] _manifest;

    private LocalRegistry()
    {
        byte[] layerTar = Tar(("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654::/home/app:/sbin/nologin\n"));
        byte[] layer = Gzip(layerTar);
        BaseLayerDigest = Add("application/vnd.oci.image.layer.v1.tar+gzip", layer);
        byte[] config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = "amd64",
            os = "linux",
            config = new { Env = new[] { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_UID=1654" }, User = "1654" },
            rootfs = new { type = "layers", diff_ids = new[] { Digest(layerTar) } },
        });
        string configDigest = Add("application/vnd.oci.image.config.v1+json", config);
        _manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = BaseLayerDigest, size = layer.Length } },
        });
    }

    public int Port { get; private set; }
    /// <summary>The base image's one layer, as the built image must list it first.</summary>
    public string BaseLayerDigest { get; }
    /// <summary>Every request path the registry was asked for, in order.</summary>
    public List<string> Requests { get; } = [];

    public string Image(string repository, string tag) => $"localhost:{Port}/{repository}:{tag}";

    public static async Task<LocalRegistry> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var registry = new LocalRegistry();
        var app = builder.Build();
        app.Run(registry.Handle);
        await app.StartAsync();
        registry._app = app;
        registry.Port = new Uri(app.Urls.Single()).Port;
        return registry;
    }

    private async Task Handle(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        lock (Requests) Requests.Add(context.Request.Method + " " + path);
        if (path == "/v2/") { await Send(context, "application/json", "{}"u8.ToArray()); return; }
        int manifests = path.IndexOf("/manifests/", StringComparison.Ordinal);
        if (path.StartsWith("/v2/", StringComparison.Ordinal) && manifests > 0)
        {
            context.Response.Headers["Docker-Content-Digest"] = Digest(_manifest);
            await Send(context, "application/vnd.oci.image.manifest.v1+json", _manifest);
            return;
        }
        int blobs = path.IndexOf("/blobs/", StringComparison.Ordinal);
        if (path.StartsWith("/v2/", StringComparison.Ordinal) && blobs > 0 && _blobs.TryGetValue(path[(blobs + 7)..], out var blob))
        {
            await Send(context, blob.MediaType, blob.Content);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        await Send(context, "application/json", """{"errors":[{"code":"NAME_UNKNOWN","message":"not in this registry"}]}"""u8.ToArray());
    }

    private static async Task Send(HttpContext context, string mediaType, byte[] content)
    {
        context.Response.ContentType = mediaType;
        context.Response.ContentLength = content.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(content);
    }

    private string Add(string mediaType, byte[] content)
    {
        string digest = Digest(content);
        _blobs[digest] = (mediaType, content);
        return digest;
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static byte[] Tar(params (string Name, string Text)[] files)
    {
        var output = new MemoryStream();
        using (var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, text) in files)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)), ModificationTime = DateTimeOffset.UnixEpoch });
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
