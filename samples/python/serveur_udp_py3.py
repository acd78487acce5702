#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Définition d'un serveur réseau rudimentaire, en datagrammes (UDP)
# Ce serveur attend le premier datagramme d'un client, pour entamer un dialogue avec lui
import socket, sys
HOST = 'localhost'
PORT = 50000
# 1) création du socket (SOCK_DGRAM : des datagrammes, sans connexion) :
mySocket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# 2) liaison du socket à une adresse précise :
try:
    mySocket.bind((HOST, PORT))
except socket.error:
    print("La liaison du socket à l'adresse choisie a échoué.")
    sys.exit()

def recevoir(adresse):
    # Un datagramme est un message entier. Ceux d'une autre adresse sont ignorés :
    # un seul client à la fois, comme dans la version TCP.
    while 1:
        msg, expediteur = mySocket.recvfrom(1024)
        if expediteur == adresse:
            return msg.decode("Utf8").rstrip("\r\n")

while 1:
    # 3) Attente du premier datagramme d'un client (en UDP, ni listen() ni accept()) :
    print("Serveur prêt, en attente de requêtes...")
    msgClient, adresse = mySocket.recvfrom(1024)
    msgClient = msgClient.decode("Utf8").rstrip("\r\n")
    # 4) Le client est connu par l'adresse d'où vient son datagramme :
    print("Client connecté, adresse IP %s, port %s" % (adresse[0], adresse[1]))
    # 5) Dialogue avec le client (chaque réponse part vers son adresse) :
    msgServeur = "Vous êtes connecté au serveur Marcel. Envoyez vos messages."
    mySocket.sendto(msgServeur.encode("Utf8"), adresse)
    if msgClient == "":
        # Un datagramme vide ne sert qu'à se faire connaître : on attend le premier message.
        msgClient = recevoir(adresse)
    while 1:
        print("C>", msgClient)
        if msgClient.strip().upper() == "FIN" or msgClient == "":
            break
        msgServeur = input("S> ")
        mySocket.sendto(msgServeur.encode("Utf8"), adresse)
        msgClient = recevoir(adresse)
    # 6) Fin du dialogue : il n'y a pas de connexion à fermer ; un datagramme
    #    vide après l'au revoir dit au client que c'est fini.
    mySocket.sendto("Au revoir !".encode("Utf8"), adresse)
    mySocket.sendto(b"", adresse)
    print("Connexion interrompue.")
    ch = input("<R>ecommencer <T>erminer ? ")
    if ch.upper() =='T':
        break
mySocket.close()
