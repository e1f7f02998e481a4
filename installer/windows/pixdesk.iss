; PixDesk — Windows installer (Inno Setup 6.3 or later), per machine, silent-safe.
;
; Build on Windows after installer\build.sh's Windows twin (pyinstaller installer\pixdesk.spec):
;   iscc /DAppVersion=0.1.0 installer\windows\pixdesk.iss
; Silent install on 30 PCs (as administrator, e.g. from a GPO start-up script or Intune):
;   pixdesk-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG="C:\Windows\Temp\pixdesk-setup.log" ^
;       /SERVER=https://pix.academie.fr /CENTRE=0691234A
; /SERVER and /CENTRE are written into %ProgramData%\pixdesk\pixdesk.toml by "pixdesk config
; set … --machine", the same code that reads the file, so a bad value is refused with the
; same message (in the log under /VERYSILENT, in a message box otherwise).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "PixDesk"
#define DistDir "..\..\dist\pixdesk"

[Setup]
AppId={{6F1C2B7E-3D4A-4B8F-9C21-5A7E0D3B9F42}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=PixDesk
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=pixdesk-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
SetupLogging=yes
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\pixdesk-gui.exe
ShowLanguageDialog=auto

[Languages]
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
fr.ConfigFailed=PixDesk est installé, mais la configuration %1 a été refusée (code %2). Corrigez-la avec : pixdesk config set %1 VALEUR --machine
en.ConfigFailed=PixDesk is installed, but the %1 setting was refused (code %2). Fix it with: pixdesk config set %1 VALUE --machine
fr.DoctorShortcut=Vérifier ce poste (pixdesk doctor)
en.DoctorShortcut=Check this PC (pixdesk doctor)
fr.DemoShortcut=Démonstration PixDesk (sans valeur)
en.DemoShortcut=PixDesk demo (counts for nothing)

[Dirs]
; Users read the machine configuration; only administrators change it.
Name: "{commonappdata}\pixdesk"; Permissions: users-readexec

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The template only on a first install: an upgrade never overwrites what IT configured.
Source: "..\pixdesk.toml"; DestDir: "{commonappdata}\pixdesk"; Flags: onlyifdoesntexist uninsneveruninstall

[Icons]
; No argument: the exam configured in pixdesk.toml, or an on-screen refusal naming what is
; missing. Never the demo, which only the explicitly named shortcut starts.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\pixdesk-gui.exe"
Name: "{autoprograms}\{cm:DemoShortcut}"; Filename: "{app}\pixdesk-gui.exe"; Parameters: "demo --windowed"
Name: "{autoprograms}\{cm:DoctorShortcut}"; Filename: "{cmd}"; Parameters: "/k ""{app}\pixdesk.exe"" doctor"

[Run]
; The machine folder is administrators-only: the default ProgramData ACL lets Users create
; files (a candidate could add a content-keys\*.pub), so inheritance is replaced by
; Administrators and SYSTEM full control, Users read (docs/it-deployment.md, section 3).
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\pixdesk"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX /T /Q"; Flags: runhidden waituntilterminated
Filename: "{cmd}"; Parameters: "/k ""{app}\pixdesk.exe"" doctor"; Description: "{cm:DoctorShortcut}"; Flags: nowait postinstall skipifsilent

[Code]
{ Runs "pixdesk config set KEY VALUE --machine" and reports a refusal without ever blocking a
  silent install: the log always, a message box only when someone is watching. }
procedure SetMachineValue(Key, Value: String);
var
  ResultCode: Integer;
begin
  if Value = '' then
    Exit;
  if Pos('"', Value) > 0 then
    ResultCode := 2
  else if not Exec(ExpandConstant('{app}\pixdesk.exe'),
                   'config set ' + Key + ' "' + Value + '" --machine',
                   '', SW_HIDE, ewWaitUntilTerminated, ResultCode) then
    ResultCode := -1;
  if ResultCode = 0 then
    Log('pixdesk.toml: ' + Key + ' = ' + Value)
  else begin
    Log('pixdesk.toml: ' + Key + ' = ' + Value + ' refused, exit code ' + IntToStr(ResultCode));
    if not WizardSilent then
      SuppressibleMsgBox(FmtMessage(CustomMessage('ConfigFailed'), [Key, IntToStr(ResultCode)]),
                         mbError, MB_OK, IDOK);
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
  begin
    SetMachineValue('server_url', ExpandConstant('{param:SERVER|}'));
    SetMachineValue('centre_id', ExpandConstant('{param:CENTRE|}'));
  end;
end;
