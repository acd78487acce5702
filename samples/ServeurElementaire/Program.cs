// Définition d'un serveur réseau rudimentaire — the chapter's "serveur Marcel", step by step, in C#.
// This server waits for a client, then holds a dialogue with it. Usage: dotnet run -- [HOST] [PORT]
using System.Net;
using System.Net.Sockets;
using System.Text;

string host = args.Length > 0 ? args[0] : "localhost";
int port = args.Length > 1 ? int.Parse(args[1]) : 50000;

// 1) Creating the socket (AF_INET, SOCK_STREAM):
using var mySocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

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

// The chapter calls listen() in the loop; once is enough, the backlog of 5 stays.
mySocket.Listen(5);
var buffer = new byte[1024];
while (true)
{
    // 3) Waiting for a client's connection request:
    Console.WriteLine("Serveur prêt, en attente de requêtes...");

    // 4) Establishing the connection: Accept returns a NEW socket for this client;
    //    mySocket stays open for the next ones.
    using Socket connexion = mySocket.Accept();
    var adresse = (IPEndPoint)connexion.RemoteEndPoint!;
    Console.WriteLine($"Client connecté, adresse IP {adresse.Address}, port {adresse.Port}");

    // 5) Dialogue with the client. Like the Python script we send no newline; unlike it we decode
    //    every message (the Python version decodes only the first, so its later FIN test never matches).
    connexion.Send(Encoding.UTF8.GetBytes("Vous êtes connecté au serveur Marcel. Envoyez vos messages."));
    string msgClient = Receive(connexion, buffer);
    while (true)
    {
        Console.WriteLine($"C> {msgClient}");
        if (string.Equals(msgClient.Trim(), "FIN", StringComparison.OrdinalIgnoreCase) /* msg.upper() == "FIN" */ || msgClient == "")
        {
            break;
        }

        Console.Write("S> ");
        string msgServeur = Console.ReadLine() ?? "FIN";
        connexion.Send(Encoding.UTF8.GetBytes(msgServeur));
        msgClient = Receive(connexion, buffer);
    }

    // 6) Closing the connection:
    connexion.Send(Encoding.UTF8.GetBytes("Au revoir !"));
    Console.WriteLine("Connexion interrompue.");
    connexion.Close();

    Console.Write("<R>ecommencer <T>erminer ? ");
    string ch = Console.ReadLine() ?? "T";
    if (string.Equals(ch.Trim(), "T", StringComparison.OrdinalIgnoreCase))
    {
        return 0;
    }
}

// recv(1024): at most 1024 bytes, whatever arrived; "" when the client closed.
// Lines end with \n for line peers (nc, marcel): we drop it, as the Python script's comparison needs.
static string Receive(Socket connexion, byte[] buffer)
{
    int count;
    try
    {
        count = connexion.Receive(buffer);
    }
    catch (SocketException)
    {
        return "";
    }

    return Encoding.UTF8.GetString(buffer, 0, count).TrimEnd('\r', '\n');
}
