/**
 * The firewall macro names PVE knows (PVE::Firewall $pve_fw_macros plus the IPv6-only ones).
 * PVE accepts a macro name in any case and stores its canonical spelling, so a rule written with
 * `macro = "ssh"` reads back as `SSH` — constructs must use these spellings for an empty re-plan.
 */
export const FIREWALL_MACROS: readonly string[] = [
  "Amanda", "Auth", "BGP", "BitTorrent", "BitTorrent32", "Ceph", "CVS", "Citrix", "DAAP", "DCC",
  "DHCPfwd", "DHCPv6", "DNS", "Distcc", "FTP", "Finger", "GNUnet", "GRE", "Git", "HKP", "HTTP",
  "HTTPS", "ICPV2", "ICQ", "IMAP", "IMAPS", "IPIP", "IPsec", "IPsecah", "IPsecnat", "IRC",
  "Jetdirect", "L2TP", "LDAP", "LDAPS", "MSNP", "MSSQL", "Mail", "MDNS", "Munin", "MySQL",
  "NeighborDiscovery", "NNTP", "NNTPS", "NTP", "OSPF", "OpenVPN", "PCA", "PMG", "POP3", "POP3S",
  "PPtP", "Ping", "PostgreSQL", "Printer", "RDP", "RIP", "RNDC", "Razor", "Rdate", "Rsync", "SANE",
  "SMB", "SMBswat", "SMTP", "SMTPS", "SNMP", "SPAMD", "SSH", "SVN", "SixXS", "SPICEproxy", "Squid",
  "Submission", "Syslog", "TFTP", "Telnet", "Telnets", "Time", "Trcrt", "VNC", "VNCL", "Web",
  "Webcache", "Webmin", "Whois",
];

const byLowerCase = new Map(FIREWALL_MACROS.map((name) => [name.toLowerCase(), name]));

/** The canonical spelling of a macro name, or `undefined` for an unknown macro. */
export function canonicalMacro(name: string): string | undefined {
  return byLowerCase.get(name.toLowerCase());
}
