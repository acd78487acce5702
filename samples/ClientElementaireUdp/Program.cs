// Définition d'un client réseau rudimentaire, en datagrammes — the chapter's client over UDP, step by step, in C#.
// This client holds a dialogue with the chapter's server over UDP. Usage: dotnet run -- [HOST] [PORT]
using System.Net.Sockets;
using System.Text;

string host = args.Length > 0 ? args[0] : "localhost";
int port = args.Length > 1 ? int.Parse(args[1]) : 50000;

// 1) Creating the socket (AF_INET, SOCK_DGRAM): datagrams, no connection.
using var mySocket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

// 2) Connect sends nothing over UDP: it fixes where our datagrams go, and only the server's are received.
//    An empty datagram makes us known to the server; its greeting tells us it is there.
var buffer = new byte[1024];
string msgServeur = "";
try
{
    mySocket.Connect(host, port);
    mySocket.Send(Array.Empty<byte>());
    msgServeur = Receive(mySocket, buffer);
}
catch (SocketException)
{
    // The name did not resolve. (A port nobody listens on makes Receive answer "": ICMP "port unreachable".)
}

if (msgServeur == "")
{
    Console.WriteLine("La connexion a échoué.");
    return 1;
}

Console.WriteLine("Connexion établie avec le serveur.");

// 3) Dialogue with the server; an empty datagram from it means the dialogue is over.
while (true)
{
    if (string.Equals(msgServeur.Trim(), "FIN", StringComparison.OrdinalIgnoreCase) || msgServeur == "")
    {
        break;
    }

    Console.WriteLine($"S> {msgServeur}");
    Console.Write("C> ");
    string msgClient = Console.ReadLine() ?? "FIN";
    mySocket.Send(Encoding.UTF8.GetBytes(msgClient));
    msgServeur = Receive(mySocket, buffer);
}

// 4) Closing the socket:
Console.WriteLine("Connexion interrompue.");
mySocket.Close();
return 0;

// One datagram is one whole message (at most 1024 bytes here). "" when the system reports that nobody listens
// there: an ICMP "port unreachable" came back for a datagram we sent.
static string Receive(Socket socket, byte[] buffer)
{
    int count;
    try
    {
        count = socket.Receive(buffer);
    }
    catch (SocketException)
    {
        return "";
    }

    return Encoding.UTF8.GetString(buffer, 0, count).TrimEnd('\r', '\n');
}
