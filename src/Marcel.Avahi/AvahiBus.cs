using Tmds.DBus.Protocol;

namespace Marcel.Avahi;

/// <summary>
/// The calls Marcel makes to avahi-daemon (org.freedesktop.Avahi, avahi-daemon/*.introspect of Avahi 0.8), written
/// and read by hand with Tmds.DBus.Protocol: no reflection, no generated proxies, so NativeAOT keeps working.
/// </summary>
internal static class AvahiBus
{
    public const string Service = "org.freedesktop.Avahi";
    public const string ServerInterface = "org.freedesktop.Avahi.Server";
    public const string EntryGroupInterface = "org.freedesktop.Avahi.EntryGroup";
    public const string ServiceBrowserInterface = "org.freedesktop.Avahi.ServiceBrowser";

    /// <summary>AVAHI_IF_UNSPEC and AVAHI_PROTO_UNSPEC: every interface, every protocol.</summary>
    public const int Unspecified = -1;

    /// <summary>AVAHI_PROTO_INET.</summary>
    public const int ProtocolInet = 0;

    /// <summary>AVAHI_PROTO_INET6.</summary>
    public const int ProtocolInet6 = 1;

    /// <summary>AVAHI_SERVER_REGISTERING and AVAHI_SERVER_RUNNING (the states in which entry groups can be made).</summary>
    public const int ServerRegistering = 1;
    public const int ServerRunning = 2;

    /// <summary>AvahiEntryGroupState: established, collision, failure.</summary>
    public const int GroupEstablished = 2;
    public const int GroupCollision = 3;
    public const int GroupFailure = 4;

    /// <summary>The error Avahi answers AddService with when another client of this daemon holds the name.</summary>
    public const string CollisionError = "org.freedesktop.Avahi.CollisionError";

    /// <summary>A call with no arguments on <paramref name="path"/>.</summary>
    public static MessageBuffer Call(DBusConnection connection, string path, string @interface, string member, MessageFlags flags = MessageFlags.None)
    {
        using MessageWriter writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Service, path, @interface, member, null, flags);
        return writer.CreateMessage();
    }

    /// <summary>EntryGroup.AddService(iiussssqaay): interface, protocol, flags, name, type, domain, host, port, txt.</summary>
    public static MessageBuffer AddService(DBusConnection connection, string group, int index, int protocol, string name, string type, int port, IReadOnlyList<string> txt)
    {
        using MessageWriter writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Service, group, EntryGroupInterface, "AddService", "iiussssqaay", MessageFlags.None);
        writer.WriteInt32(index);
        writer.WriteInt32(protocol);
        writer.WriteUInt32(0);
        writer.WriteString(name);
        writer.WriteString(type);
        writer.WriteString(string.Empty); // Domain: Avahi's default, "local".
        writer.WriteString(string.Empty); // Host: Avahi's own host name, whose address records Avahi publishes and defends.
        writer.WriteUInt16((ushort)port);
        ArrayStart entries = writer.WriteArrayStart(DBusType.Array);
        foreach (string entry in txt)
        {
            writer.WriteArray(System.Text.Encoding.UTF8.GetBytes(entry));
        }

        writer.WriteArrayEnd(entries);
        return writer.CreateMessage();
    }

    /// <summary>Server.ServiceBrowserNew(iissu): every interface and protocol, <paramref name="type"/> in <c>local</c>.</summary>
    public static MessageBuffer ServiceBrowserNew(DBusConnection connection, string type)
    {
        using MessageWriter writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Service, "/", ServerInterface, "ServiceBrowserNew", "iissu", MessageFlags.None);
        writer.WriteInt32(Unspecified);
        writer.WriteInt32(Unspecified);
        writer.WriteString(type);
        writer.WriteString("local");
        writer.WriteUInt32(0);
        return writer.CreateMessage();
    }

    /// <summary>Server.ResolveService(iisssiu) for an item a browser reported.</summary>
    public static MessageBuffer ResolveService(DBusConnection connection, BrowsedItem item)
    {
        using MessageWriter writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Service, "/", ServerInterface, "ResolveService", "iisssiu", MessageFlags.None);
        writer.WriteInt32(item.Interface);
        writer.WriteInt32(item.Protocol);
        writer.WriteString(item.Name);
        writer.WriteString(item.Type);
        writer.WriteString(item.Domain);
        writer.WriteInt32(item.Protocol); // The address of the protocol the item was seen on.
        writer.WriteUInt32(0);
        return writer.CreateMessage();
    }

    /// <summary>ResolveService's reply (iissssisqaayu): interface, protocol, name, type, domain, host, aprotocol, address, port, txt, flags.</summary>
    public static ResolvedItem ReadResolved(Message message, object? state)
    {
        Reader reader = message.GetBodyReader();
        int index = reader.ReadInt32();
        reader.ReadInt32();
        string name = reader.ReadString();
        string type = reader.ReadString();
        reader.ReadString();
        string host = reader.ReadString();
        reader.ReadInt32();
        string address = reader.ReadString();
        ushort port = reader.ReadUInt16();
        var txt = new List<string>();
        ArrayEnd end = reader.ReadArrayStart(DBusType.Array);
        while (reader.HasNext(end))
        {
            txt.Add(System.Text.Encoding.UTF8.GetString(reader.ReadArrayOfByte()));
        }

        return new ResolvedItem(index, name, type, host, address, port, txt);
    }

    /// <summary>A ServiceBrowser's ItemNew or ItemRemove signal (iisssu), or null for its other signals.</summary>
    public static BrowserSignal? ReadBrowserSignal(Message message, object? state)
    {
        string member = message.MemberAsString ?? string.Empty;
        if (member is not ("ItemNew" or "ItemRemove"))
        {
            return member == "Failure" ? new BrowserSignal(false, null, message.GetBodyReader().ReadString()) : null;
        }

        Reader reader = message.GetBodyReader();
        var item = new BrowsedItem(reader.ReadInt32(), reader.ReadInt32(), reader.ReadString(), reader.ReadString(), reader.ReadString());
        return new BrowserSignal(member == "ItemNew", item, null);
    }

    /// <summary>EntryGroup.StateChanged(is).</summary>
    public static (int State, string Error) ReadStateChanged(Message message, object? state)
    {
        Reader reader = message.GetBodyReader();
        return (reader.ReadInt32(), reader.ReadString());
    }
}

/// <summary>A service a browser reported on one interface and protocol.</summary>
internal sealed record BrowsedItem(int Interface, int Protocol, string Name, string Type, string Domain);

/// <summary>A browser's signal: an item new or removed, or its failure (with Avahi's message).</summary>
internal sealed record BrowserSignal(bool IsNew, BrowsedItem? Item, string? Failure);

/// <summary>What ResolveService answered for one item.</summary>
internal sealed record ResolvedItem(int Interface, string Name, string Type, string Host, string Address, int Port, IReadOnlyList<string> Txt);
