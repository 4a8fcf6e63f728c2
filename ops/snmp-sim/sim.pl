#!/usr/bin/perl
# pass_persist handler for the SNMP simulator: serves one profile (ups | ac | table | types | apc | eaton) under the OID
# snmpd registered, with values that drift with the clock and alarm states read from DIR/control.
# Usage (from snmpd.conf): pass_persist ROOT /usr/bin/perl sim.pl PROFILE DIR
use strict;
use warnings;

my ($profile, $dir) = @ARGV;
$profile //= 'ups';
$dir //= '.';
$| = 1;

my $UPS = '1.3.6.1.2.1.33';
my $LGP = '1.3.6.1.4.1.476.1.42';
my $TBL = '1.3.6.1.4.1.8072.9999.10';
my $TYP = '1.3.6.1.4.1.8072.9999.20';
my $APC = '1.3.6.1.4.1.318';
my $XUPS = '1.3.6.1.4.1.534';
my $TABLE_ROWS = 10000;
my %root = (ups => $UPS, ac => $LGP, table => $TBL, types => $TYP, apc => $APC, eaton => $XUPS);
my $ROOT = $root{$profile} or die "unknown profile $profile\n";
my @ROOTK = split /\./, $ROOT;
my $started = time;
my $FREEZE = 0;

sub control {
    my %c = (freeze => 0, on_battery => 0, low_battery => 0, high_return_temp => 0, ac_off => 0, counter64_overflow => 0);
    if (open my $fh, '<', "$dir/control") {
        while (<$fh>) { $c{$1} = $2 if /^\s*(\w+)\s*=\s*(\S+)/; }
        close $fh;
    }
    $c{on_battery} = 1 if $c{low_battery};
    $FREEZE = $c{freeze} ? 1 : 0;
    return \%c;
}

# Values drift slowly and deterministically with time so consecutive polls differ plausibly.
# freeze=1 in the control file pins every value to its base (tests compare two walks).
sub drift { my ($base, $amp, $period) = @_; return $base if $FREEZE; return int($base + $amp * sin(time / $period) + 0.5); }

sub ticks { return (time - $started) * 100; }

sub setpoint {
    if (open my $fh, '<', "$dir/setpoint") { my $v = <$fh>; close $fh; return $1 if defined $v && $v =~ /(-?\d+)/; }
    return 22;
}

sub ups_rows {
    my $c = control();
    my $u = "$UPS.1";
    my $onb = $c->{on_battery};
    my $since = $onb ? (stat("$dir/control"))[9] // time : time;
    my $secs = $onb ? time - $since : 0;
    my $charge = $c->{low_battery} ? 15 : $onb ? (100 - int($secs / 6) > 25 ? 100 - int($secs / 6) : 25) : 100;
    my $minutes = $c->{low_battery} ? 4 : int($charge * 0.45);
    my $load = drift(23, 3, 47);
    my $involt = $onb ? 0 : drift(230, 2, 31);
    my @alarms;
    push @alarms, [1, "$u.6.3.2"] if $onb;
    push @alarms, [2, "$u.6.3.3"] if $c->{low_battery};
    my @r = (
        ["$u.1.1.0", 'string', 'ACME Power'], ["$u.1.2.0", 'string', 'SimUPS 3000'],
        ["$u.1.3.0", 'string', '2.4.1'], ["$u.1.4.0", 'string', 'sim-agent 1.0'],
        ["$u.1.5.0", 'string', 'UPS-A1'], ["$u.1.6.0", 'string', 'Row A racks 1-4'],
        ["$u.2.1.0", 'integer', $c->{low_battery} ? 3 : 2],
        ["$u.2.2.0", 'integer', $secs],
        ["$u.2.3.0", 'integer', $minutes],
        ["$u.2.4.0", 'integer', $charge],
        ["$u.2.5.0", 'integer', $onb ? 512 - int((100 - $charge) / 2) : drift(546, 2, 53)],
        ["$u.2.6.0", 'integer', $onb ? -180 : 0],
        ["$u.2.7.0", 'integer', drift(25, 1, 97)],
        $c->{counter64_overflow} ? ["$u.3.1.0", 'counter64', '18446744073709551615'] : ["$u.3.1.0", 'counter', $onb ? 1 : 0],
        ["$u.3.2.0", 'integer', 1],
        ["$u.3.3.1.1.1", 'integer', 1],
        ["$u.3.3.1.2.1", 'integer', $onb ? 0 : drift(500, 1, 13)],
        ["$u.3.3.1.3.1", 'integer', $involt],
        ["$u.3.3.1.4.1", 'integer', $onb ? 0 : drift(42, 3, 47)],
        ["$u.3.3.1.5.1", 'integer', $onb ? 0 : drift(950, 60, 47)],
        ["$u.4.1.0", 'integer', $onb ? 5 : 3],
        ["$u.4.2.0", 'integer', drift(500, 1, 17)],
        ["$u.4.3.0", 'integer', 1],
        ["$u.4.4.1.1.1", 'integer', 1],
        ["$u.4.4.1.2.1", 'integer', drift(230, 1, 29)],
        ["$u.4.4.1.3.1", 'integer', drift(42, 3, 47)],
        ["$u.4.4.1.4.1", 'integer', drift(900, 60, 47)],
        ["$u.4.4.1.5.1", 'integer', $load],
        ["$u.6.1.0", 'gauge', scalar @alarms],
        ["$u.9.1.0", 'integer', 230], ["$u.9.2.0", 'integer', 500], ["$u.9.3.0", 'integer', 230],
        ["$u.9.4.0", 'integer', 500], ["$u.9.5.0", 'integer', 3000], ["$u.9.6.0", 'integer', 2700],
        ["$u.9.7.0", 'integer', 5],
    );
    for my $a (@alarms) {
        push @r, ["$u.6.2.1.1.$a->[0]", 'integer', $a->[0]];
        push @r, ["$u.6.2.1.2.$a->[0]", 'objectid', $a->[1]];
        push @r, ["$u.6.2.1.3.$a->[0]", 'timeticks', 100 * $a->[0]];
    }
    return \@r;
}

sub ac_rows {
    my $c = control();
    my $l = "$LGP.3";
    my $on = !$c->{ac_off};
    my $ret = $c->{high_return_temp} ? 35 : drift(24, 1, 71);
    my $sup = $on ? drift(18, 1, 59) : $ret;
    my @cond;
    push @cond, [1, "$l.2.1.1", 6, 9] if $c->{high_return_temp};
    my @r = (
        ["$LGP.2.1.1.0", 'string', 'Liebert'], ["$LGP.2.1.2.0", 'string', 'SimPDX 35kW'],
        ["$LGP.2.1.3.0", 'string', '4.1.0'], ["$LGP.2.1.4.0", 'string', 'SIM0001'],
        ["$l.2.2.0", 'gauge', scalar @cond],
        ["$l.4.1.3.1.0", 'integer', setpoint()],
        ["$l.4.1.3.2.0", 'integer', 10],
        ["$l.4.1.3.3.1.1.1", 'gauge', 1], ["$l.4.1.3.3.1.1.2", 'gauge', 2],
        ["$l.4.1.3.3.1.2.1", 'objectid', "$l.4.1.1.2"], ["$l.4.1.3.3.1.2.2", 'objectid', "$l.4.1.1.3"],
        ["$l.4.1.3.3.1.3.1", 'integer', $ret], ["$l.4.1.3.3.1.3.2", 'integer', $sup],
        ["$l.4.1.3.3.1.4.1", 'integer', 30], ["$l.4.1.3.3.1.4.2", 'integer', 27],
        ["$l.4.1.3.3.1.6.1", 'integer', setpoint()], ["$l.4.1.3.3.1.6.2", 'integer', 18],
        ["$l.4.1.3.3.1.50.1", 'integer', $c->{high_return_temp} ? 350 : drift(240, 8, 71)],
        ["$l.4.1.3.3.1.50.2", 'integer', $on ? drift(180, 6, 59) : $ret * 10],
        ["$l.4.2.2.1.0", 'integer', 50], ["$l.4.2.2.2.0", 'integer', 5],
        ["$l.4.2.2.3.1.2.1", 'objectid', "$l.4.2.1.2"],
        ["$l.4.2.2.3.1.3.1", 'integer', drift(45, 2, 83)],
        ["$l.4.2.2.3.1.6.1", 'integer', 50],
        ["$l.4.3.1.0", 'integer', $on ? 1 : 2],
        ["$l.4.3.2.0", 'integer', $on ? 1 : 2],
        ["$l.4.3.7.0", 'integer', $on ? 1 : 2],
        ["$l.4.3.8.0", 'integer', @cond ? 1 : 2],
        ["$l.4.3.9.0", 'gauge', $on ? drift(60, 10, 41) : 0],
        ["$l.4.3.12.2.0", 'integer', $on ? 1 : 2],
        ["$l.4.3.12.3.0", 'integer', $on && $c->{high_return_temp} ? 1 : 2],
        ["$l.7.2.2.0", 'integer', !$on ? 5 : @cond ? 4 : 1],
        ["$l.7.4.2.0", 'integer', $on ? 1 : 2],
    );
    for my $k (@cond) {
        my ($id, $descr, $type, $sev) = @$k;
        push @r, ["$l.2.3.1.1.$id", 'gauge', $id], ["$l.2.3.1.2.$id", 'objectid', $descr],
                 ["$l.2.3.1.3.$id", 'timeticks', 100], ["$l.2.3.1.10.$id", 'integer', $type],
                 ["$l.2.3.1.12.$id", 'integer', 1], ["$l.2.3.1.14.$id", 'integer', $sev];
    }
    return \@r;
}

# Values that test how managers print and decode edge cases: octet strings on either side of
# net-snmp's printable rule, opaque-wrapped float and double (net-snmp's 9f78/9f79), plain opaque.
# "octet" and "opaque" values are hex octets.
sub types_rows {
    my $t = $TYP;
    return [
        ["$t.1.1.0", 'octet', '00 41 42'],
        ["$t.1.2.0", 'octet', '41 42 0b 0c 09 0a 0d 43'],
        ["$t.1.3.0", 'octet', '41 42 43 00'],
        ["$t.1.4.0", 'octet', 'e6 9c ba e6 88 bf'],
        ["$t.1.5.0", 'octet', join(' ', map { sprintf '%02x', $_ } 0 .. 39)],
        ["$t.1.6.0", 'string', 'say "hi" \\ bye'],
        ["$t.1.7.0", 'octet', '7f 41'],
        ["$t.1.8.0", 'octet', ''],
        ["$t.2.1.0", 'opaque', '9f 78 04 42 f6 e9 79'],
        ["$t.2.2.0", 'opaque', '9f 79 08 c0 5e dd 2f 1a 9f be 77'],
        ["$t.2.3.0", 'opaque', '01 02 03'],
        ["$t.2.4.0", 'opaque', '9f 78 04 00 00 00 00'],
        ["$t.2.5.0", 'opaque', '9f 79 08 41 2e 84 80 00 00 00 00'],
        ["$t.3.1.0", 'counter64', '18446744073709551615'],
        ["$t.3.2.0", 'ipaddress', '10.1.2.3'],
        ["$t.3.3.0", 'gauge', '4294967295'],
        ["$t.3.4.0", 'integer', '-2147483648'],
    ];
}

# Battery and mains as the APC and Eaton units see them (the same switches as the UPS-MIB unit).
sub power_state {
    my $c = shift;
    my $onb = $c->{on_battery};
    my $secs = $onb ? time - ((stat("$dir/control"))[9] // time) : 0;
    my $charge = $c->{low_battery} ? 15 : $onb ? (100 - int($secs / 6) > 25 ? 100 - int($secs / 6) : 25) : 100;
    my $minutes = $c->{low_battery} ? 4 : int($charge * 0.45);
    return ($onb, $secs, $charge, $minutes);
}

# APC PowerNet-MIB upsBasic/upsAdv (.1.3.6.1.4.1.318.1.1.1): capacity and load as gauges, run time in TimeTicks.
sub apc_rows {
    my $c = control();
    my ($onb, $secs, $charge, $minutes) = power_state($c);
    my $a = "$APC.1.1.1";
    return [
        ["$a.1.1.1.0", 'string', 'Smart-UPS SRT 3000'], ["$a.1.1.2.0", 'string', 'UPS-APC-SIM'],
        ["$a.2.1.1.0", 'integer', $c->{low_battery} ? 3 : 2],
        ["$a.2.1.2.0", 'timeticks', $secs * 100],
        ["$a.2.2.1.0", 'gauge', $charge],
        ["$a.2.2.2.0", 'gauge', drift(27, 1, 97)],
        ["$a.2.2.3.0", 'timeticks', $minutes * 6000],
        ["$a.2.2.8.0", 'integer', $onb ? 50 : drift(54, 1, 53)],
        ["$a.3.2.1.0", 'gauge', $onb ? 0 : drift(228, 2, 31)],
        ["$a.3.2.4.0", 'gauge', $onb ? 0 : 50],
        ["$a.4.1.1.0", 'integer', $onb ? 3 : 2],
        ["$a.4.2.1.0", 'gauge', drift(230, 1, 29)],
        ["$a.4.2.2.0", 'gauge', 50],
        ["$a.4.2.3.0", 'gauge', drift(31, 3, 47)],
        ["$a.4.2.4.0", 'gauge', drift(12, 1, 47)],
    ];
}

# Eaton XUPS-MIB (.1.3.6.1.4.1.534.1): the shipped templates/snmp-profiles/eaton-xups.yaml reads these.
sub eaton_rows {
    my $c = control();
    my ($onb, $secs, $charge, $minutes) = power_state($c);
    my $x = "$XUPS.1";
    return [
        ["$x.1.1.0", 'string', 'EATON'], ["$x.1.2.0", 'string', '9PX 3000'],
        ["$x.2.1.0", 'integer', $minutes * 60],
        ["$x.2.2.0", 'integer', $onb ? 204 : drift(216, 2, 53)],
        ["$x.2.4.0", 'integer', $charge],
        ["$x.3.1.0", 'integer', $onb ? 0 : drift(500, 1, 13)],
        ["$x.3.4.1.2.1", 'integer', $onb ? 0 : drift(229, 2, 31)],
        ["$x.4.1.0", 'integer', drift(27, 3, 47)],
        ["$x.4.5.0", 'integer', $onb ? 5 : 3],
        ["$x.10.2.0", 'integer', 230],
    ];
}

sub cmp_oid {
    my ($a, $b) = @_;
    my $n = @$a < @$b ? @$a : @$b;
    for my $i (0 .. $n - 1) { return $a->[$i] <=> $b->[$i] if $a->[$i] != $b->[$i]; }
    return @$a <=> @$b;
}

sub parse { my $s = shift; $s =~ s/^\s+|\s+$//g; $s =~ s/^\.//; return [grep { length } split /\./, $s]; }

sub under_root { my $o = shift; return 0 if @$o < @ROOTK; for my $i (0 .. $#ROOTK) { return 0 if $o->[$i] != $ROOTK[$i]; } return 1; }

sub answer { my ($oid, $type, $val) = @_; print ".$oid\n$type\n$val\n"; }

# The benchmark table answers in O(1): .1.N = N for N in 1..TABLE_ROWS.
sub table_lookup {
    my ($cmd, $req) = @_;
    my @rel = @$req[scalar @ROOTK .. $#$req];
    if ($cmd eq 'get') {
        return (@rel == 2 && $rel[0] == 1 && $rel[1] >= 1 && $rel[1] <= $TABLE_ROWS) ? ["$TBL.1.$rel[1]", 'integer', $rel[1]] : undef;
    }
    return ["$TBL.1.1", 'integer', 1] if !under_root($req) && cmp_oid($req, \@ROOTK) < 0;
    return undef unless under_root($req);
    return ["$TBL.1.1", 'integer', 1] if @rel == 0 || $rel[0] < 1 || (@rel == 1 && $rel[0] == 1);
    return undef if $rel[0] > 1;
    # Anything under .1.N (N itself or deeper) is followed by .1.(N+1).
    my $next = $rel[1] + 1;
    return $next <= $TABLE_ROWS ? ["$TBL.1.$next", 'integer', $next] : undef;
}

sub lookup {
    my ($cmd, $oidtext) = @_;
    my $req = parse($oidtext);
    return table_lookup($cmd, $req) if $profile eq 'table';
    my %rows = (ups => \&ups_rows, ac => \&ac_rows, types => \&types_rows, apc => \&apc_rows, eaton => \&eaton_rows);
    my $rows = $rows{$profile}->();
    my @sorted = sort { cmp_oid($a->[3], $b->[3]) } map { [@$_, parse($_->[0])] } @$rows;
    for my $r (@sorted) {
        next unless under_root($r->[3]);
        my $c = cmp_oid($r->[3], $req);
        return $r if ($cmd eq 'get' && $c == 0) || ($cmd eq 'getnext' && $c > 0);
    }
    return undef;
}

# Only the AC set point is writable; it persists in DIR/setpoint.
sub do_set {
    my ($oid, $tv) = @_;
    my $o = join '.', @{parse($oid)};
    if ($profile eq 'ac' && ($o eq "$LGP.3.4.1.3.1.0" || $o eq "$LGP.3.4.1.3.3.1.6.1")) {
        return 'wrong-type' unless $tv =~ /^integer\s+(-?\d+)/;
        return 'wrong-value' if $1 < 10 || $1 > 35;
        open my $fh, '>', "$dir/setpoint" or return 'resource-unavailable';
        print $fh "$1\n"; close $fh;
        return 'DONE';
    }
    return 'not-writable';
}

while (my $line = <STDIN>) {
    chomp $line;
    next if $line eq '';
    if ($line eq 'PING') { print "PONG\n"; next; }
    if ($line eq 'get' || $line eq 'getnext') {
        my $oid = <STDIN>; last unless defined $oid;
        my $r = lookup($line, $oid);
        if ($r) { answer($r->[0], $r->[1], $r->[2]); } else { print "NONE\n"; }
        next;
    }
    if ($line eq 'set') {
        my $oid = <STDIN>; my $tv = <STDIN>;
        last unless defined $tv;
        chomp $tv;
        print do_set($oid, $tv), "\n";
        next;
    }
    print "NONE\n";
}
