// Définition d'un serveur réseau rudimentaire, en datagrammes — the chapter's "serveur Marcel" over UDP, step by step.
// This server waits for a client's first datagram, then holds a dialogue with it. Usage: dotnet run -- [HOST] [PORT]
using System.Net;
using System.Net.Sockets;
using System.Text;

string host = args.Length > 0 ? args[0] : "localhost";
int port = args.Length > 1 ? int.Parse(args[1]) : 50000;

// 1) Creating the socket (AF_INET, SOCK_DGRAM): datagrams, no connection.
using var mySocket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

// 2) Binding the socket to a precise address:
try
{
    IPAddress address = host == "localhost" ? IPAddress.Loopback : Dns.GetHostAddresses(host)[0];
    mySocket.Bind(new IPEndPoint(address, port));
}
catch (SocketException)
{
    Console.WriteLine("La liaison du socket à l'adresse choisie a échoué.");
    return 1;
}

var buffer = new byte[1024];
while (true)
{
    // 3) Waiting for a client's first datagram: over UDP there is no Listen() and no Accept().
    Console.WriteLine("Serveur prêt, en attente de requêtes...");
    EndPoint from = new IPEndPoint(IPAddress.Any, 0);
    int count = mySocket.ReceiveFrom(buffer, ref from);
    var adresse = (IPEndPoint)from;
    string msgClient = Encoding.UTF8.GetString(buffer, 0, count).TrimEnd('\r', '\n');

    // 4) The client is known by the address its datagram came from; every answer goes there.
    Console.WriteLine($"Client connecté, adresse IP {adresse.Address}, port {adresse.Port}");

    // 5) Dialogue with the client. An empty first datagram only makes the client known: wait for its first message.
    mySocket.SendTo(Encoding.UTF8.GetBytes("Vous êtes connecté au serveur Marcel. Envoyez vos messages."), adresse);
    if (msgClient == "")
    {
        msgClient = Receive(mySocket, buffer, adresse);
    }

    while (true)
    {
        Console.WriteLine($"C> {msgClient}");
        if (string.Equals(msgClient.Trim(), "FIN", StringComparison.OrdinalIgnoreCase) || msgClient == "")
        {
            break;
        }

        Console.Write("S> ");
        string msgServeur = Console.ReadLine() ?? "FIN";
        mySocket.SendTo(Encoding.UTF8.GetBytes(msgServeur), adresse);
        msgClient = Receive(mySocket, buffer, adresse);
    }

    // 6) End of the dialogue: there is no connection to close; an empty datagram after the goodbye tells the
    //    client it is over (marcel connect --udp ends on it).
    mySocket.SendTo(Encoding.UTF8.GetBytes("Au revoir !"), adresse);
    mySocket.SendTo(Array.Empty<byte>(), adresse);
    Console.WriteLine("Connexion interrompue.");

    Console.Write("<R>ecommencer <T>erminer ? ");
    string ch = Console.ReadLine() ?? "T";
    if (string.Equals(ch.Trim(), "T", StringComparison.OrdinalIgnoreCase))
    {
        return 0;
    }
}

// One datagram is one whole message. Datagrams from any other address are ignored: one client at a time, as over TCP.
// Lines from line peers (nc -u, marcel) end with \n: we drop it, as the comparison with FIN needs.
static string Receive(Socket socket, byte[] buffer, IPEndPoint adresse)
{
    while (true)
    {
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int count = socket.ReceiveFrom(buffer, ref from);
        if (from.Equals(adresse))
        {
            return Encoding.UTF8.GetString(buffer, 0, count).TrimEnd('\r', '\n');
        }
    }
}
