# Run by busybox sh in the busybox-hello recipe's image.
echo "$GREETING"
echo "uid=$(/bin/busybox id -u) gid=$(/bin/busybox id -g) cwd=$(/bin/busybox pwd)"
/bin/busybox grep '^app:' /etc/passwd
/bin/busybox stat -c '%A %U' /home/app
