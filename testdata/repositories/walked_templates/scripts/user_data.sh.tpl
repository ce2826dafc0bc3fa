#!/bin/bash
# Not a policy: a template of a shell script is none of iamlint's business.
echo "${greeting}" > /etc/motd
%{ for name in users ~}
useradd ${name}
%{ endfor ~}
