-- U&'...' strings with Unicode escapes, UESCAPE, and their errors.

select U&'d\0061t\+000061', u&'\\', U&'d!0061t' UESCAPE '!', U&'\D83D\DE00', U&'it''s', U&'';
select U&'\00';
select U&'ab\xyz';
select U&'\D83D';
select U&'\DE00x';
select U&'\+110000';
select U&'x' UESCAPE 'ab';
select U&'x' UESCAPE '+';
select U&'\0000';
select u&'a' as x, u & 'a';
