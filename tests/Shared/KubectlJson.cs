using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace FastPath.TestData;

/// <summary>
/// Writes multi-document YAML as <c>kubectl get -o json</c> prints a listing: one indented <c>kind: List</c> object
/// holding every document in <c>items</c>, plain integers and booleans as JSON numbers and booleans.
/// </summary>
public static class KubectlJson
{
    public static string FromYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("apiVersion", "v1");
            w.WriteStartArray("items");
            foreach (var doc in stream.Documents)
                if (doc.RootNode is YamlMappingNode) Write(w, doc.RootNode);
            w.WriteEndArray();
            w.WriteString("kind", "List");
            w.WriteStartObject("metadata");
            w.WriteString("resourceVersion", "");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter w, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode m:
                w.WriteStartObject();
                foreach (var kv in m.Children)
                {
                    w.WritePropertyName(((YamlScalarNode)kv.Key).Value!);
                    Write(w, kv.Value);
                }
                w.WriteEndObject();
                break;
            case YamlSequenceNode s:
                w.WriteStartArray();
                foreach (var c in s.Children) Write(w, c);
                w.WriteEndArray();
                break;
            case YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: var v }:
                if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)) w.WriteNumberValue(n);
                else if (v is "true" or "false") w.WriteBooleanValue(v == "true");
                else if (v is null or "" or "null" or "~") w.WriteNullValue();
                else w.WriteStringValue(v);
                break;
            case YamlScalarNode s:
                w.WriteStringValue(s.Value);
                break;
        }
    }
}
